package dev.tinyvllm.check;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Progress;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The two ways to grade a step: a student's workspace, or the bundled reference solution. */
public final class CheckRuns {

    private CheckRuns() {}

    /** Grades the student's code and records the outcome in the workspace's progress. */
    public static StepReport workspace(Workspace workspace, Step step, CheckOptions options) throws InterruptedException {
        Path build = workspace.stateDir().resolve("build").resolve(step.id());
        StepReport report = new Checker(step, options).check(workspace.root(), build, false);
        Progress.of(workspace).record(step.id(), report.status(), report.passed(), report.total(), report.skipped());
        return report;
    }

    /** Grades the reference solution, copied out of the tutor jar into a temporary folder. */
    public static StepReport reference(Step step, CheckOptions options) throws InterruptedException {
        Path root;
        try {
            root = Files.createTempDirectory("tutor-reference-");
            // The reference of a step calls the references of the steps it builds on.
            for (Step part : Catalog.load().withRequirements(step)) {
                for (String file : part.files()) {
                    Path target = root.resolve(file);
                    Files.createDirectories(target.getParent());
                    Files.write(target, Resources.requireBytes(part.referenceResource(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the reference solution of " + step.id(), e);
        }
        try {
            return new Checker(step, options).check(root, root.resolve(".tutor/build"), true);
        } finally {
            deleteTree(root);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}
