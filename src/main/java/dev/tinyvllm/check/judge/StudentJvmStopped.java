package dev.tinyvllm.check.judge;

/** The student JVM is gone, and why: the running check's result, and the end of its function's checks. */
public final class StudentJvmStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why it stopped; each is a situation the step's guide has a question for. */
    public enum Reason { TIMEOUT, MEMORY, EXIT, CRASH, PROTOCOL }

    private final Reason reason;

    public StudentJvmStopped(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
