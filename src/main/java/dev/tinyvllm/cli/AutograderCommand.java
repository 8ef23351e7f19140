package dev.tinyvllm.cli;

import dev.tinyvllm.BuildInfo;
import dev.tinyvllm.autograder.AutograderBundle;
import dev.tinyvllm.autograder.AutograderConfig;
import dev.tinyvllm.autograder.TutorFiles;
import dev.tinyvllm.check.SandboxMode;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tutor autograder STEP...}: a Gradescope autograder for an assignment of steps, in one zip. */
@Command(name = "autograder", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = AutograderRunCommand.class, description = {
            "For instructors: write a Gradescope autograder that grades STEP... (upload the zip as the assignment's "
                + "autograder).",
            "It carries this tutor with its libraries (nothing is downloaded while grading). setup.sh installs a JDK "
                + "and bubblewrap when missing, closes the tutor's files to other users and grades the reference "
                + "solutions once; run_autograder copies the steps' files out of each submission into a fresh "
                + "workspace, grades them in the sandbox and writes results.json (one point per check that ran)."})
public final class AutograderCommand implements Callable<Integer> {

    // Not required in picocli's sense: a required positional would also be demanded before `run`.
    @Parameters(paramLabel = "STEP", arity = "0..*", description = "The steps to grade, e.g. week1/attention week1/rope.")
    List<String> steps;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "autograder.zip",
            description = "Where to write the zip (default autograder.zip).")
    Path out;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Wall-clock limit of one check on Gradescope's machines (default: each step's own).")
    Integer timeoutSeconds;

    @Option(names = "--sandbox", paramLabel = "MODE", defaultValue = "auto",
            description = {"How the student's code is isolated on Gradescope: auto (default: bubblewrap, else an "
                + "unprivileged user of its own; grading stops rather than run it unsandboxed), bwrap, user, or none "
                + "(only if you accept that the student's code could read the reference solutions)."})
    SandboxMode sandbox;

    @Spec
    CommandSpec spec;

    /** The files bundled; tests give small stand-ins, as they run the tutor from a classes folder. */
    Supplier<TutorFiles> tutorFiles = TutorFiles::current;

    @Override
    public Integer call() throws IOException {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("name at least one step, e.g. `tutor autograder week1/attention`");
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        List<String> ids = steps.stream().distinct().toList();
        ids.forEach(AutograderCommand::requireGradable);
        TutorFiles files = tutorFiles.get();
        AutograderBundle.write(out, AutograderConfig.of(BuildInfo.current().version(), ids, timeoutSeconds, sandbox), files);

        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %s (%.0f MB): a Gradescope autograder for %s%n", out.toAbsolutePath().normalize(),
                Files.size(out) / 1e6, String.join(", ", ids));
        w.println("Upload it as the assignment's autograder (Configure Autograder > Zip file upload). Students submit "
                + "their workspace, a folder of it, or just the steps' files.");
        return ExitCodes.OK;
    }

    /** A step a bundle may name: in the catalog, available, with checks this tutor can make, and its requirements too. */
    private static void requireGradable(String id) {
        Catalog catalog = Catalog.load();
        Step step = catalog.requireStep(id); // unknown or planned: a clear IllegalArgumentException
        try {
            catalog.withRequirements(step);
            StepChecks.of(step);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("step " + id + " cannot be graded by this tutor: " + e.getMessage(), e);
        }
    }
}
