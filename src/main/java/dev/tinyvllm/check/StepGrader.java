package dev.tinyvllm.check;

import ai.djl.ndarray.NDManager;
import dev.tinyvllm.curriculum.Step;
import java.util.List;

/**
 * The hidden checks of one step. {@link #checks} is plain data, known to the parent before anything
 * runs; {@link #run} executes one check inside the grading JVM, where libtorch and the student's
 * classes are loaded.
 */
public interface StepGrader {

    String stepId();

    /**
     * Loads what the checks will call into libtorch (TorchScript modules compile on first use), before
     * any check's clock starts. Most steps grade against the layer kernels.
     */
    default void warmUp(NDManager manager) {
        dev.tinyvllm.torch.LayerKernels.silu(manager.ones(new ai.djl.ndarray.types.Shape(1, 2)));
    }

    List<CheckSpec> checks();

    /**
     * Runs one check. Student failures become the result's status; anything thrown here is a bug of
     * the grader and is reported as such.
     *
     * @param manager a fresh manager, closed after the check (with everything the student allocated on it)
     * @param seed makes every generated input reproducible
     */
    CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed);
}
