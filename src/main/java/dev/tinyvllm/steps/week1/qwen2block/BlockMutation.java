package dev.tinyvllm.steps.week1.qwen2block;

import dev.tinyvllm.check.Mutation;

/** Known-wrong ways to wire a Qwen2 decoder block from correct parts, each with its diagnostic tag. */
public enum BlockMutation implements Mutation {
    /** {@code h = attention(norm(x))}: the input does not flow around the attention. */
    ATTENTION_RESIDUAL_MISSING(BlockTag.RESIDUAL_MISSING, Group.RESIDUAL),
    /** {@code out = mlp(norm(h))}: h does not flow around the MLP. */
    MLP_RESIDUAL_MISSING(BlockTag.RESIDUAL_MISSING, Group.RESIDUAL),
    /** The residuals add the normalised input instead of the input itself. */
    RESIDUAL_FROM_NORMED(BlockTag.RESIDUAL_FROM_NORMED, Group.RESIDUAL),
    /** Post-norm: {@code h = norm(x + attention(x))}, {@code out = norm(h + mlp(h))}. */
    POST_NORM(BlockTag.POST_NORM, Group.NORMS),
    /** The post-attention norm's weight before the attention and the input norm's before the MLP. */
    NORMS_SWAPPED(BlockTag.NORMS_SWAPPED, Group.NORMS);

    /** Mutations of one group replace the same piece, so two of them never combine. */
    public enum Group { RESIDUAL, NORMS }

    private final Mistake mistake;

    BlockMutation(BlockTag tag, Group group) {
        this.mistake = new Mistake(tag, group);
    }

    @Override
    public Mistake mistake() {
        return mistake;
    }
}
