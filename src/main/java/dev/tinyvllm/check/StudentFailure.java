package dev.tinyvllm.check;

/**
 * A call into student code produced no value: the skeleton's exception (NOT_IMPLEMENTED), or an
 * exception, a missing method, a reach for a hidden class (ERROR). It ends the check with that outcome;
 * the check runner catches it, so bodies let it pass.
 */
public final class StudentFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Outcome outcome;

    public StudentFailure(Outcome outcome, String message) {
        super(message);
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
