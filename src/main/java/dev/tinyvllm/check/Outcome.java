package dev.tinyvllm.check;

/** How one check ended. Only PASS is a pass; SKIPPED is counted apart and always carries its reason. */
public enum Outcome {
    PASS,
    FAIL,
    /** The student's method still throws the skeleton's UnsupportedOperationException. */
    NOT_IMPLEMENTED,
    /** An exception, a timeout, System.exit, a crash, too much memory, or code that does not compile. */
    ERROR,
    SKIPPED
}
