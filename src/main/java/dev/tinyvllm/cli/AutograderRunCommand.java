package dev.tinyvllm.cli;

import dev.tinyvllm.autograder.SubmissionGrader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tutor autograder run}: what a bundle's scripts call. Hidden: only an autograder's folders make sense
 * to it. Exits 0 once it has written results.json, whatever the score.
 */
@Command(name = "run", hidden = true, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Grade the submission of an autograder laid out as Gradescope's /autograder (source/, "
            + "submission/, results/) and write results/results.json."})
public final class AutograderRunCommand implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "${env:AUTOGRADER_ROOT:-/autograder}",
            description = "The autograder's folder (default $AUTOGRADER_ROOT, else /autograder).")
    Path root;

    @Option(names = "--reference", description = "Grade the bundled reference solutions instead (the bundle's "
            + "self-test while the image is built); exits 0 only when every check that ran passed.")
    boolean reference;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        SubmissionGrader.Layout layout = new SubmissionGrader.Layout(root.toAbsolutePath().normalize());
        SubmissionGrader.Graded graded = reference ? SubmissionGrader.selfTest(layout) : SubmissionGrader.grade(layout);
        PrintWriter out = spec.commandLine().getOut();
        out.println(graded.output());
        out.printf(Locale.ROOT, "%s: score %.1f of %.1f%n", reference ? "self-test with the reference solutions"
                : "wrote " + layout.results(), graded.score(), graded.maxScore());
        out.flush();
        if (reference) {
            return graded.full() ? ExitCodes.OK : ExitCodes.NOT_PASSED;
        }
        return ExitCodes.OK;
    }
}
