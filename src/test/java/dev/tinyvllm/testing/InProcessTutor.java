package dev.tinyvllm.testing;

import dev.tinyvllm.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** {@code tutor} as a user types it, run in this JVM, with what it prints captured (LauncherIT runs the launcher). */
public final class InProcessTutor {

    public record Run(int code, String out, String err) {}

    private InProcessTutor() {}

    public static Run tutor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }
}
