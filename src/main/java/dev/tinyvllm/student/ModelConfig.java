package dev.tinyvllm.student;

/**
 * The architecture of a Qwen2 model, read from its {@code config.json} by {@link ModelFolder}.
 *
 * @param hiddenSize width of a token's vector, the residual stream
 * @param intermediateSize width inside each MLP
 * @param numHiddenLayers how many decoder blocks the model stacks
 * @param numAttentionHeads query heads per attention layer
 * @param numKeyValueHeads key/value heads per attention layer (fewer than query heads: grouped-query attention)
 * @param rmsNormEps the epsilon of every RMSNorm
 * @param ropeTheta the base of the rotary frequencies
 * @param vocabSize rows of the embedding matrix: token ids run from 0 to vocabSize - 1
 * @param maxPositionEmbeddings the longest context the model was trained for
 * @param tieWordEmbeddings whether the output head reuses the embedding matrix instead of its own lm_head
 */
public record ModelConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        float rmsNormEps,
        double ropeTheta,
        int vocabSize,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings) {

    /** Width of one attention head: hiddenSize / numAttentionHeads. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }
}
