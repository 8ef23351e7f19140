package dev.tinyvllm.steps.week1.rmsnormmlp;

import ai.djl.ndarray.NDArray;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.StudentClass;

/**
 * The student's RMSNorm as the checks call it. Public, so that the steps built on it (the block) can
 * make the student's norms and hand them on.
 */
@StudentClass("week1.mlp.RMSNorm")
public interface RmsNorm {

    @New
    RmsNorm create(NDArray weight, float eps);

    NDArray forward(NDArray x);
}
