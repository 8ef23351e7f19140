package dev.tinyvllm.steps.week1.attention;

import ai.djl.ndarray.NDArray;
import dev.tinyvllm.check.Static;
import dev.tinyvllm.check.StudentClass;

/** The student's {@code week1.attention.Attention}, as the checks call it in the student JVM. */
@StudentClass("week1.attention.Attention")
public interface AttentionView {

    @Static
    NDArray eagerBidirectional(NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask);

    @Static
    NDArray eagerCausal(NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask);

    @Static
    NDArray sdpaBidirectional(NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask);

    @Static
    NDArray sdpaCausal(NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask);

    @Static
    NDArray flashBidirectional(NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray cuSeqlens,
            int maxSeqlen);

    @Static
    NDArray flashCausal(NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray cuSeqlens,
            int maxSeqlen);
}
