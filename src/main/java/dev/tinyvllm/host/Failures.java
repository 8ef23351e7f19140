package dev.tinyvllm.host;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Turns what went wrong in a call of student code into the message the student reads: the skeleton's
 * exception, an exception with its file and line, a stack overflow, running out of memory, a reach for
 * a hidden class.
 */
public final class Failures {

    private Failures() {}

    /** A call that produced no value: NOT_IMPLEMENTED or ERROR, and why. */
    public static final class StudentFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String outcome;

        public StudentFailure(String outcome, String message) {
            super(message);
            this.outcome = outcome;
        }

        /** {@code NOT_IMPLEMENTED} or {@code ERROR}. */
        public String outcome() {
            return outcome;
        }

        static StudentFailure error(String message) {
            return new StudentFailure("ERROR", message);
        }
    }

    /**
     * @param label how the message names the call, e.g. {@code eagerCausal} or {@code the RoPE constructor}
     * @param owner the class whose method was called; a skeleton's exception thrown by another class (an
     *     earlier step's code it calls) is reported as that other code's
     */
    static StudentFailure of(String label, String owner, Throwable thrown) {
        Throwable cause = thrown instanceof ExceptionInInitializerError init && init.getCause() != null
                ? init.getCause() : thrown;
        StackTraceElement where = firstStudentFrame(cause);
        String at = where == null ? "" : " at " + where.getFileName() + ":" + where.getLineNumber();
        if (cause instanceof UnsupportedOperationException && isStudentFrame(cause.getStackTrace(), 0)) {
            String thrower = cause.getStackTrace()[0].getClassName();
            if (owner != null && !thrower.equals(owner) && cause.getMessage() != null) {
                return new StudentFailure("NOT_IMPLEMENTED", label + " calls code that is not implemented yet: "
                        + cause.getMessage() + " (it still throws UnsupportedOperationException" + at + ")");
            }
            return new StudentFailure("NOT_IMPLEMENTED",
                    label + " is not implemented yet (it still throws UnsupportedOperationException" + at + ")");
        }
        String hidden = hiddenClass(cause);
        if (hidden != null) {
            return StudentFailure.error(label + " reached for " + hidden
                    + ", which is hidden from student code (references and oracles are not available)" + at);
        }
        if (cause instanceof StackOverflowError) {
            return StudentFailure.error(label + " overflowed the stack" + at
                    + ": does a call never reach the case that stops it?");
        }
        if (cause instanceof OutOfMemoryError) {
            return StudentFailure.error(label + " ran out of memory" + at + " (" + cause.getMessage() + ")");
        }
        if (closedManager(cause)) {
            return StudentFailure.error(label + " used an NDArray whose manager was already closed" + at
                    + ": an array lives only as long as the NDManager that made it");
        }
        String message = cause.getMessage() == null ? "" : ": " + firstLines(cause.getMessage());
        return StudentFailure.error(label + " threw " + cause.getClass().getName() + message + at);
    }

    /** DJL's words for an array whose native memory is gone. */
    static boolean closedManager(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (c instanceof IllegalStateException && m != null
                    && (m.contains("has been released") || m.contains("already closed") || m.contains("is closed"))) {
                return true;
            }
        }
        return false;
    }

    private static String hiddenClass(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if ((c instanceof ClassNotFoundException || c instanceof NoClassDefFoundError) && c.getMessage() != null) {
                String name = c.getMessage().split(" ")[0].replace('/', '.');
                if (name.startsWith("dev.tinyvllm.") && !StudentLoader.visible(name)) {
                    return name;
                }
            }
        }
        return null;
    }

    private static StackTraceElement firstStudentFrame(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < trace.length; i++) {
            if (isStudentFrame(trace, i)) {
                return trace[i];
            }
        }
        return null;
    }

    private static boolean isStudentFrame(StackTraceElement[] trace, int i) {
        return i < trace.length && StudentLoader.NAME.equals(trace[i].getClassLoaderName());
    }

    // libtorch's messages carry a C++ backtrace after the first lines.
    private static String firstLines(String message) {
        String[] lines = message.strip().split("\n");
        return Arrays.stream(lines).limit(3).collect(Collectors.joining(" | "));
    }
}
