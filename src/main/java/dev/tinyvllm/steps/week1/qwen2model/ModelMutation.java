package dev.tinyvllm.steps.week1.qwen2model;

/**
 * Known-wrong ways to assemble a Qwen2 model from correct blocks, each with its diagnostic tag: how
 * {@code forward} connects the parts, and how one layer's weights were taken from the checkpoint.
 */
public enum ModelMutation {
    /** The last layer's output goes to the head without the final RMSNorm. */
    FINAL_NORM_MISSING("FINAL_NORM_MISSING", false),
    /** An untied model scored with the embedding matrix instead of its own lm_head. */
    HEAD_FROM_EMBEDDING("HEAD_WRONG_MATRIX", false),
    /** Every layer reads the embedding's output instead of the previous layer's; the last one's result goes on. */
    LAYERS_NOT_CHAINED("LAYERS_NOT_CHAINED", false),
    /** The first layer is left out of the stack. */
    FIRST_LAYER_SKIPPED("LAYER_SKIPPED", false),
    /** The last layer is left out of the stack. */
    LAST_LAYER_SKIPPED("LAYER_SKIPPED", false),
    /** The layer's input_layernorm weight used after the attention and post_attention_layernorm's before it. */
    NORM_WEIGHTS_SWAPPED("WEIGHTS_SWAPPED", true),
    /** gate_proj and up_proj exchanged. */
    GATE_UP_SWAPPED("WEIGHTS_SWAPPED", true),
    /** k_proj and v_proj (weights and biases) exchanged. */
    K_V_SWAPPED("WEIGHTS_SWAPPED", true);

    private final String tag;
    private final boolean ofLayer;

    ModelMutation(String tag, boolean ofLayer) {
        this.tag = tag;
        this.ofLayer = ofLayer;
    }

    public String tag() {
        return tag;
    }

    /** Whether the mutation is in one layer's weights rather than in how the stack is wired. */
    public boolean ofLayer() {
        return ofLayer;
    }
}
