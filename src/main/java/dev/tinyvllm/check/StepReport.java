package dev.tinyvllm.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.text.Clean;
import java.util.List;

/**
 * The result of {@code tutor check STEP}: the JSON report's root (schema documented in
 * docs/check-report.md; bump {@link #SCHEMA_VERSION} on any incompatible change).
 *
 * @param status PASS when every check that ran passed (SKIPPED ones are counted apart, never as
 *     passed), COMPILE_ERROR, NOT_IMPLEMENTED when nothing is implemented yet, FAIL otherwise
 * @param total every check, skipped ones included
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepReport(
        String schema,
        int schemaVersion,
        String step,
        String title,
        String status,
        int passed,
        int total,
        int failed,
        int notImplemented,
        int errors,
        int skipped,
        long seed,
        Tolerance tolerance,
        boolean reference,
        Isolation isolation,
        Compilation compile,
        List<CheckResult> checks,
        Timing timing) {

    public static final String SCHEMA = "tiny-vllm-tutor/check-report";
    public static final int SCHEMA_VERSION = 2;

    /**
     * How the student's code was kept apart: the sandbox mode that ran (bwrap, user or none) and what it
     * means. Null when no student code ran (it did not compile).
     */
    public record Isolation(String sandbox, String description) {

        public static Isolation of(SandboxMode mode) {
            return new Isolation(mode.label(), mode.description());
        }
    }

    /** The compiler's verdict. */
    public record Compilation(boolean ok, List<StudentCompiler.Message> messages, long millis) {}

    /**
     * Where the time went, in milliseconds: compiling (in the tutor's JVM), starting the student JVM,
     * loading libtorch there, running the checks. Compiling overlaps the other two; -1 where a part did
     * not happen in this run (a student JVM started before the command, by the daemon or the REPL).
     */
    public record Timing(long totalMs, long compileMs, long jvmStartMs, long libtorchMs, long checksMs) {}

    /** The report with every text student code may have written cleaned for terminals and XML. */
    public StepReport cleaned() {
        List<StudentCompiler.Message> messages = compile.messages().stream()
                .map(m -> new StudentCompiler.Message(Clean.text(m.file(), 500), m.line(), m.column(), m.kind(),
                        Clean.text(m.message(), CheckResult.TEXT_LIMIT)))
                .toList();
        return new StepReport(schema, schemaVersion, step, title, status, passed, total, failed, notImplemented, errors,
                skipped, seed, tolerance, reference, isolation, new Compilation(compile.ok(), messages, compile.millis()),
                checks.stream().map(CheckResult::cleaned).toList(), timing);
    }

    public boolean succeeded() {
        return status.equals("PASS");
    }

    static String statusOf(boolean compiled, List<CheckResult> checks) {
        if (!compiled) {
            return "COMPILE_ERROR";
        }
        List<CheckResult> ran = checks.stream().filter(c -> c.status() != Outcome.SKIPPED).toList();
        if (!ran.isEmpty() && ran.stream().allMatch(c -> c.status() == Outcome.PASS)) {
            return "PASS";
        }
        if (!ran.isEmpty() && ran.stream().allMatch(c -> c.status() == Outcome.NOT_IMPLEMENTED)) {
            return "NOT_IMPLEMENTED";
        }
        return "FAIL";
    }

    static int count(List<CheckResult> checks, Outcome outcome) {
        return (int) checks.stream().filter(c -> c.status() == outcome).count();
    }
}
