package dev.tinyvllm.steps.week1.qwen2model;

import dev.tinyvllm.check.Mutation;

/**
 * Known-wrong ways to assemble a Qwen2 model from correct blocks, each with its diagnostic tag: how
 * {@code forward} connects the parts, and how one layer's weights were taken from the checkpoint.
 */
public enum ModelMutation implements Mutation {
    /** The last layer's output goes to the head without the final RMSNorm. */
    FINAL_NORM_MISSING(ModelTag.FINAL_NORM_MISSING, Group.FINAL_NORM),
    /** An untied model scored with the embedding matrix instead of its own lm_head. */
    HEAD_FROM_EMBEDDING(ModelTag.HEAD_WRONG_MATRIX, Group.HEAD),
    /** Every layer reads the embedding's output instead of the previous layer's; the last one's result goes on. */
    LAYERS_NOT_CHAINED(ModelTag.LAYERS_NOT_CHAINED, Group.STACK),
    /** The first layer is left out of the stack. */
    FIRST_LAYER_SKIPPED(ModelTag.LAYER_SKIPPED, Group.STACK),
    /** The last layer is left out of the stack. */
    LAST_LAYER_SKIPPED(ModelTag.LAYER_SKIPPED, Group.STACK),
    /** The layer's input_layernorm weight used after the attention and post_attention_layernorm's before it. */
    NORM_WEIGHTS_SWAPPED(ModelTag.WEIGHTS_SWAPPED, Group.LAYER_WEIGHTS),
    /** gate_proj and up_proj exchanged. */
    GATE_UP_SWAPPED(ModelTag.WEIGHTS_SWAPPED, Group.LAYER_WEIGHTS),
    /** k_proj and v_proj (weights and biases) exchanged. */
    K_V_SWAPPED(ModelTag.WEIGHTS_SWAPPED, Group.LAYER_WEIGHTS);

    /**
     * Mutations of one group replace the same piece, so two of them never combine; the loading mistakes
     * of one layer's weights are a group of their own, apart from how forward wires the stack.
     */
    public enum Group { FINAL_NORM, HEAD, STACK, LAYER_WEIGHTS }

    private final Mistake mistake;

    ModelMutation(ModelTag tag, Group group) {
        this.mistake = new Mistake(tag, group);
    }

    @Override
    public Mistake mistake() {
        return mistake;
    }

    /** Whether the mutation is in one layer's weights rather than in how the stack is wired. */
    public boolean ofLayer() {
        return group() == Group.LAYER_WEIGHTS;
    }
}
