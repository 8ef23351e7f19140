package week1.model;

import ai.djl.ndarray.NDArray;

/**
 * Week 1: the token embedding, which is also the output head of a model that ties the two.
 * Read steps/week1/qwen2-model/README.md first, then run `tutor check week1/qwen2-model`.
 */
public final class Embedding {

    /**
     * @param weight float32 [vocabSize, hiddenSize]: row i is the vector of token id i
     *     (model.embed_tokens.weight in a checkpoint)
     */
    public Embedding(NDArray weight) {
        throw new UnsupportedOperationException("the Embedding constructor is not implemented yet");
    }

    /**
     * @param ids INT32 [batch, seqLen] token ids, each in 0 .. vocabSize - 1
     * @return float32 [batch, seqLen, hiddenSize]: the vector of each id
     */
    public NDArray forward(NDArray ids) {
        throw new UnsupportedOperationException("forward is not implemented yet");
    }

    /**
     * The same matrix read the other way: how well a vector matches each token's row.
     *
     * @param x float32 [..., hiddenSize]
     * @return float32 [..., vocabSize]: entry v is the dot product of x with row v
     */
    public NDArray asLinear(NDArray x) {
        throw new UnsupportedOperationException("asLinear is not implemented yet");
    }
}
