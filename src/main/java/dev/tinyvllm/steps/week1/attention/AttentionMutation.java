package dev.tinyvllm.steps.week1.attention;

import dev.tinyvllm.check.Mutation;

/**
 * A known-wrong variant of attention: each is a misconception students really have, and the
 * diagnostic tag a student's output earns when it matches the variant.
 */
public enum AttentionMutation implements Mutation {
    SCALE_MISSING(AttentionTag.SCALE_MISSING, Group.SCALE),
    /** Divides by headDim instead of its square root. */
    SCALE_BY_HEAD_DIM(AttentionTag.SCALE_WRONG, Group.SCALE),
    /** Multiplies by sqrt(headDim) instead of dividing. */
    SCALE_MULTIPLIED(AttentionTag.SCALE_WRONG, Group.SCALE),
    MASK_IGNORED(AttentionTag.MASK_IGNORED, Group.MASK),
    /** Treats true as "masked out". */
    MASK_INVERTED(AttentionTag.MASK_INVERTED, Group.MASK),
    CAUSAL_MISSING(AttentionTag.CAUSAL_MISSING, Group.CAUSAL),
    /** Blocks the diagonal too: a token cannot see itself. */
    CAUSAL_EXCLUDES_SELF(AttentionTag.CAUSAL_OFF_BY_ONE, Group.CAUSAL),
    /** Lets a token see the next one. */
    CAUSAL_SEES_NEXT(AttentionTag.CAUSAL_OFF_BY_ONE, Group.CAUSAL),
    /** Reshapes [B, L, H*D] straight to [B, H, L, D]. */
    HEADS_NOT_TRANSPOSED(AttentionTag.HEADS_NOT_TRANSPOSED, Group.SPLIT),
    /** Reshapes [B, H, L, D] straight back to [B, L, H*D]. */
    HEADS_MERGED_WRONG(AttentionTag.HEADS_MERGED_WRONG, Group.MERGE),
    /** Normalises over the queries instead of the keys. */
    SOFTMAX_WRONG_AXIS(AttentionTag.SOFTMAX_WRONG_AXIS, Group.SOFTMAX),
    /** Attends across the whole packed batch as if it were one sequence. */
    VARLEN_CROSSES_SEQUENCES(AttentionTag.VARLEN_CROSSES_SEQUENCES, Group.VARLEN);

    /** Mutations of one group replace the same piece, so two of them never combine. */
    public enum Group { SCALE, MASK, CAUSAL, SPLIT, MERGE, SOFTMAX, VARLEN }

    private final Mistake mistake;

    AttentionMutation(AttentionTag tag, Group group) {
        this.mistake = new Mistake(tag, group);
    }

    @Override
    public Mistake mistake() {
        return mistake;
    }
}
