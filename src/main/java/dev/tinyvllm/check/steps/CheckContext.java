package dev.tinyvllm.check.steps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.Tolerance;
import java.util.Random;
import java.util.function.Function;

/**
 * What every grader's run of one check holds: the check, the student's code, the manager its arrays
 * live on, the step's tolerance, and numbers seeded by the run's seed and the check's id.
 */
abstract class CheckContext {

    final CheckSpec check;
    final StudentCode code;
    final NDManager manager;
    final Tolerance tolerance;
    final Random random;

    CheckContext(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        this.check = check;
        this.code = code;
        this.manager = manager;
        this.tolerance = step.tolerance();
        this.random = Grading.random(seed, check);
    }

    /** An oracle's values, computed on a scratch manager that is closed afterwards. */
    float[] oracle(Function<NDManager, NDArray> compute) {
        try (NDManager scratch = manager.newSubManager()) {
            return compute.apply(scratch).toFloatArray();
        }
    }
}
