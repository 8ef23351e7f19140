package week1.attention;

import ai.djl.ndarray.NDArray;

/**
 * Week 1, step 1: multi-head attention three ways. Read steps/week1/attention/README.md first, then
 * run `tutor check week1/attention` as you go.
 *
 * <p>Shapes: q, k and v hold numHeads heads of headDim features side by side in their last axis.
 * A padding mask holds true where a key position takes part in attention.
 */
public final class Attention {

    private Attention() {}

    /**
     * Every query attends to every (unmasked) key, built from plain NDArray operations.
     *
     * @param q queries, float32 [batch, seqLen, numHeads * headDim]
     * @param k keys, same shape
     * @param v values, same shape
     * @param mask null, or BOOLEAN [batch, seqLen]: true = this key position takes part
     * @return [batch, seqLen, numHeads * headDim]
     */
    public static NDArray eagerBidirectional(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask) {
        throw new UnsupportedOperationException("eagerBidirectional is not implemented yet");
    }

    /** As {@link #eagerBidirectional}, but a query at position i may only attend to keys at positions up to i. */
    public static NDArray eagerCausal(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask) {
        throw new UnsupportedOperationException("eagerCausal is not implemented yet");
    }

    /** As {@link #eagerBidirectional}, built around {@code dev.tinyvllm.student.Kernels.scaledDotProductAttention}. */
    public static NDArray sdpaBidirectional(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask) {
        throw new UnsupportedOperationException("sdpaBidirectional is not implemented yet");
    }

    /** As {@link #eagerCausal}, built around {@code dev.tinyvllm.student.Kernels.scaledDotProductAttention}. */
    public static NDArray sdpaCausal(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask) {
        throw new UnsupportedOperationException("sdpaCausal is not implemented yet");
    }

    /**
     * Bidirectional attention over a packed batch of sequences of different lengths, built around
     * {@code dev.tinyvllm.student.Kernels.flashAttentionVarlen}.
     *
     * @param q queries, float32 [totalTokens, numHeads * headDim]: the sequences one after another
     * @param k keys, same shape
     * @param v values, same shape
     * @param cuSeqlens INT32 [batch + 1]: sequence i is rows cuSeqlens[i] up to cuSeqlens[i + 1], exclusive
     * @param maxSeqlen the length of the longest sequence
     * @return [totalTokens, numHeads * headDim]
     */
    public static NDArray flashBidirectional(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray cuSeqlens, int maxSeqlen) {
        throw new UnsupportedOperationException("flashBidirectional is not implemented yet");
    }

    /** As {@link #flashBidirectional}, causal within each sequence. */
    public static NDArray flashCausal(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray cuSeqlens, int maxSeqlen) {
        throw new UnsupportedOperationException("flashCausal is not implemented yet");
    }
}
