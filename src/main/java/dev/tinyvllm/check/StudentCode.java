package dev.tinyvllm.check;

/** The student's compiled step, as graders call it (inside the grading JVM). */
public interface StudentCode {

    /**
     * Calls a public static method of the step's class.
     *
     * @throws StudentFailure when the method is missing, still the skeleton, or throws
     */
    Object call(String method, Class<?>[] parameterTypes, Object... args) throws StudentFailure;

    /** Why a call into student code produced no result. */
    final class StudentFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final Outcome outcome;

        public StudentFailure(Outcome outcome, String message, Throwable cause) {
            super(message, cause);
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }
    }
}
