package dev.tinyvllm.check;

/** The student's compiled step, as graders call it (inside the grading JVM). */
public interface StudentCode {

    /**
     * Calls a public static method of the step's class.
     *
     * @throws StudentFailure when the method is missing, still the skeleton, or throws
     */
    Object call(String method, Class<?>[] parameterTypes, Object... args) throws StudentFailure;

    /**
     * Calls a public static method of any student class, for steps with more than one class.
     *
     * @param className fully qualified, for example {@code week1.gqa.GroupedAttention}
     */
    Object callStatic(String className, String method, Class<?>[] parameterTypes, Object... args)
            throws StudentFailure;

    /**
     * Creates an object of a student class with its public constructor: a layer that holds its weights.
     *
     * @throws StudentFailure when the class or constructor is missing, still the skeleton, or throws
     */
    Object construct(String className, Class<?>[] parameterTypes, Object... args) throws StudentFailure;

    /** Calls a public instance method of an object {@link #construct} made. */
    Object invoke(Object target, String method, Class<?>[] parameterTypes, Object... args) throws StudentFailure;

    /** A student class, to name as a parameter type: a layer whose constructor takes other layers. */
    Class<?> type(String className) throws StudentFailure;

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
