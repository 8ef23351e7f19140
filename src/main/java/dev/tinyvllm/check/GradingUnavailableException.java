package dev.tinyvllm.check;

/** Grading cannot happen at all (no JDK, libtorch does not load): a problem of the setup, not of the student's code. */
public final class GradingUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GradingUnavailableException(String message) {
        super(message);
    }
}
