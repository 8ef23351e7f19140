package dev.tinyvllm.check;

import dev.tinyvllm.check.judge.StudentJvms;
import dev.tinyvllm.check.judge.TutorDirs;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Progress;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StudentApiJar;
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
        StepReport report = new Checker(step, options).check(workspace.root(), buildDir(workspace, step), false);
        Progress.of(workspace).record(step.id(), report.status(), report.passed(), report.total(), report.skipped());
        return report;
    }

    /**
     * For a long-lived process that will check this step: keep a student JVM ready between checks, and
     * get the first one and everything else warm now, in the background.
     */
    public static void prepare(Workspace workspace, Step step, CheckOptions options) {
        StudentJvms.shared().keepSpares(true);
        Thread t = new Thread(() -> {
            try {
                new Checker(step, options).prepare(workspace.root(), buildDir(workspace, step));
            } catch (RuntimeException | LinkageError e) {
                // Only a head start: the first check does it all again and reports what is wrong.
            }
        }, "check-prepare");
        t.setDaemon(true);
        t.start();
    }

    private static Path buildDir(Workspace workspace, Step step) {
        return workspace.stateDir().resolve("build").resolve(step.id());
    }

    /**
     * Grades the reference solution, copied out of the tutor jar into a folder of the tutor's cache that
     * stays between runs (one per build of the tutor), so that a repeated self-test compiles nothing and
     * finds a student JVM ready, as a workspace does.
     */
    public static StepReport reference(Step step, CheckOptions options) throws InterruptedException {
        Path root = TutorDirs.cache().resolve("reference").resolve(buildKey()).resolve(step.id().replace('/', '-'));
        writeReference(step, root);
        return new Checker(step, options).check(root, root.resolve(".tutor/build"), true);
    }

    /** Names the tutor build whose references a cached folder holds. */
    private static String buildKey() {
        Path code = StudentApiJar.tutorCodeSource();
        try {
            return Integer.toHexString((code + "@" + Files.getLastModifiedTime(code).toMillis()).hashCode());
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The reference sources of a step and of the steps it builds on, each file written only when it differs. */
    private static void writeReference(Step step, Path root) {
        try {
            for (Step part : Catalog.load().withRequirements(step)) {
                for (String file : part.files()) {
                    Path target = root.resolve(file);
                    byte[] bytes = Resources.requireBytes(part.referenceResource(file));
                    if (!Files.isRegularFile(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                        Files.createDirectories(target.getParent());
                        Files.write(target, bytes);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reference solution of " + step.id() + " to " + root, e);
        }
    }

    /** The reference sources of a step and of the steps it builds on, in a new temporary folder laid out like a workspace. */
    static Path extractReference(Step step) {
        try {
            Path root = Files.createTempDirectory("tutor-reference-");
            writeReference(step, root);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the reference solution of " + step.id(), e);
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}
