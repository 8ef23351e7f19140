package dev.tinyvllm.cli;

/** What {@code tutor} exits with. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A check did not pass (or the code did not compile). */
    public static final int NOT_PASSED = 1;
    /** Bad arguments, an unknown step, no workspace. */
    public static final int USAGE = 2;
    /** Grading could not run at all (the grading JVM or libtorch would not start). */
    public static final int CANNOT_GRADE = 3;
    /** A bug of the tutor. */
    public static final int SOFTWARE = 70;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
