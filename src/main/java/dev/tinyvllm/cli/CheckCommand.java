package dev.tinyvllm.cli;

import dev.tinyvllm.check.CheckOptions;
import dev.tinyvllm.check.CheckRuns;
import dev.tinyvllm.check.SandboxMode;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.check.report.ReportFormat;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tutor check STEP}: grade a step and explain what went wrong as questions. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "Compile your code for STEP, run it isolated against libtorch, and report each check.",
    "Exit code 0 only when every check that ran passed; skipped checks are listed with their reason."})
public final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STEP", description = "A step id, for example week1/attention.")
    String stepId;

    @Mixin
    WorkspaceOption workspace;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json, gradescope or junit.")
    ReportFormat format;

    @Option(names = "--sandbox", paramLabel = "MODE", defaultValue = "auto",
            description = {"How your code is kept apart while it runs: auto (default: the strongest available), bwrap "
                + "(bubblewrap: no network, read-only view of only what it needs), user (as root: an unprivileged user "
                + "of its own), none (a plain child process). Every report says which one ran."})
    SandboxMode sandbox;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of the terminal.")
    Path output;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the generated inputs (default 0).")
    long seed;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Wall-clock limit of one check (default: the step's, 10 s for week1/attention).")
    Integer timeoutSeconds;

    @Option(names = "--reference", description = "Grade the bundled reference solution instead of your code.")
    boolean reference;

    @Option(names = "--no-daemon", description = {"Check in this process instead of the background check daemon "
        + "(which keeps libtorch and a student JVM warm between checks; `tutor daemon stop` ends it)."})
    boolean noDaemon;

    /** Set by the check daemon when the client's terminal takes colour. */
    @Option(names = "--color", hidden = true)
    boolean forceColor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, IOException {
        ReportFormat reportFormat = format;
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        Step step = Catalog.load().requireStep(stepId);
        CheckOptions options = new CheckOptions(seed, timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds),
                CheckOptions.DEFAULT_MEMORY_LIMIT, sandbox);
        StepReport report = reference
                ? CheckRuns.reference(step, options)
                : CheckRuns.workspace(workspace.require(), step, options);
        boolean color = output == null && reportFormat == ReportFormat.TEXT && (forceColor || Terminals.colorful());
        String rendered = reportFormat.render(report, color);
        if (output != null) {
            Files.writeString(output, rendered, StandardCharsets.UTF_8);
        } else {
            spec.commandLine().getOut().print(rendered);
            spec.commandLine().getOut().flush();
        }
        return report.succeeded() ? ExitCodes.OK : ExitCodes.NOT_PASSED;
    }
}
