package week1.gqa;

import ai.djl.ndarray.NDArray;

/**
 * Week 1: the attention layer of a Qwen2 decoder block, built from your RoPE (week1/rope) and your
 * GroupedAttention. Weights use Hugging Face's layout, [outFeatures, inFeatures].
 */
public final class Qwen2Attention {

    /**
     * Keeps the weights and prepares what does not depend on the input.
     *
     * @param hiddenSize the width of a token's vector; headDim = hiddenSize / numHeads
     * @param wq [numHeads * headDim, hiddenSize], with bias bq [numHeads * headDim]
     * @param wk [numKvHeads * headDim, hiddenSize], with bias bk [numKvHeads * headDim]
     * @param wv [numKvHeads * headDim, hiddenSize], with bias bv [numKvHeads * headDim]
     * @param wo [hiddenSize, numHeads * headDim], no bias
     * @param maxSeqLen the longest sequence forward must handle
     * @param ropeTheta the base of the rotary frequencies (1000000 in Qwen2)
     */
    public Qwen2Attention(int hiddenSize, int numHeads, int numKvHeads, NDArray wq, NDArray bq, NDArray wk,
            NDArray bk, NDArray wv, NDArray bv, NDArray wo, int maxSeqLen, double ropeTheta) {
        throw new UnsupportedOperationException("the Qwen2Attention constructor is not implemented yet");
    }

    /**
     * Causal self-attention over whole sequences: token t sits at position t and sees tokens 0 .. t.
     *
     * @param x float32 [batch, seqLen, hiddenSize]
     * @return float32 [batch, seqLen, hiddenSize]
     */
    public NDArray forward(NDArray x) {
        throw new UnsupportedOperationException("forward is not implemented yet");
    }
}
