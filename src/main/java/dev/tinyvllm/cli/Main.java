package dev.tinyvllm.cli;

import dev.tinyvllm.check.GradingUnavailableException;
import dev.tinyvllm.cli.daemon.DaemonClient;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code tutor} command. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        if (DaemonClient.handles(args)) {
            int exit = DaemonClient.run(args, System.out, System.err);
            if (exit >= 0) {
                System.exit(exit);
            }
        }
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs one command line with the given output streams (tests use this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = TutorCommand.commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("tutor: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            // An internal fault (a broken installation, a bug) must not pass for a mistake of the user's.
            if (e instanceof IllegalStateException) {
                commandLine.getErr().println("tutor: internal error (a fault of the tutor or its installation, not of "
                        + "your input): " + e.getMessage());
                return ExitCodes.SOFTWARE;
            }
            if (e instanceof GradingUnavailableException) {
                commandLine.getErr().println("tutor: " + e.getMessage());
                return ExitCodes.CANNOT_GRADE;
            }
            if (e instanceof InterruptedException) {
                commandLine.getErr().println("tutor: interrupted");
                return ExitCodes.INTERRUPTED;
            }
            commandLine.getErr().println("tutor: unexpected error: " + e);
            e.printStackTrace(commandLine.getErr());
            return ExitCodes.SOFTWARE;
        });
        return cli.execute(args);
    }
}
