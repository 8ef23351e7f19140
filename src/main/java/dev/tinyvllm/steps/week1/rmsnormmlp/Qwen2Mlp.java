package dev.tinyvllm.steps.week1.rmsnormmlp;

import ai.djl.ndarray.NDArray;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.StudentClass;

/**
 * The student's SwiGLU MLP as the checks call it. Public, so that the steps built on it (the block) can
 * make the student's MLP and hand it on.
 */
@StudentClass("week1.mlp.Qwen2MLP")
public interface Qwen2Mlp {

    /** Weights {@code [out, in]}: gate and up {@code [intermediate, dim]}, down {@code [dim, intermediate]}. */
    @New
    Qwen2Mlp create(NDArray wGate, NDArray wUp, NDArray wDown);

    NDArray forward(NDArray x);
}
