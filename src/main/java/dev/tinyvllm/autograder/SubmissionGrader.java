package dev.tinyvllm.autograder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CheckOptions;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Checker;
import dev.tinyvllm.check.CheckRuns;
import dev.tinyvllm.check.GradingUnavailableException;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.SandboxMode;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.check.judge.Sandbox;
import dev.tinyvllm.check.report.GradescopeReport;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StudentApiJar;
import dev.tinyvllm.curriculum.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Grades one Gradescope submission: a fresh workspace made by {@code tutor init}'s code, only the steps'
 * source files copied in from the submission, each step checked in the sandbox, and one results.json for
 * all of them, written by this (trusted) JVM after the student's processes have ended.
 */
public final class SubmissionGrader {

    /** An autograder's folders, laid out as Gradescope's {@code /autograder}. */
    public record Layout(Path root) {
        public Path source() {
            return root.resolve("source");
        }

        public Path config() {
            return source().resolve(AutograderConfig.FILE);
        }

        public Path submission() {
            return root.resolve("submission");
        }

        public Path results() {
            return root.resolve("results").resolve("results.json");
        }
    }

    /** What a grading run scored, and its text for the log. */
    public record Graded(double score, double maxScore, String output) {

        /** Every check that counted passed (the self-test's bar). */
        public boolean full() {
            return maxScore > 0 && score == maxScore;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SubmissionGrader() {}

    /**
     * Grades {@code layout.submission()} and writes {@code layout.results()}, whatever happens short of the JVM
     * dying: a fault of the tutor's becomes a results.json that says so, with score 0.
     */
    public static Graded grade(Layout layout) throws InterruptedException {
        String results;
        try {
            AutograderConfig config = AutograderConfig.read(layout.config());
            results = results(config, layout.submission());
        } catch (RuntimeException e) {
            e.printStackTrace(System.out); // the instructor's log; students see only the message below
            results = fault(e);
        }
        write(layout.results(), results);
        return summary(results);
    }

    /**
     * Grades the bundled reference solutions as if they were a submission, through the same path; the
     * results stay out of {@code results/} (this runs while the image is built, before any submission).
     */
    public static Graded selfTest(Layout layout) throws InterruptedException {
        AutograderConfig config = AutograderConfig.read(layout.config());
        Path submission = tempDir("tutor-autograder-reference-");
        try {
            Catalog catalog = Catalog.load();
            for (String id : config.steps()) {
                for (Step part : catalog.withRequirements(catalog.requireStep(id))) {
                    for (String file : part.files()) {
                        Path target = submission.resolve(file);
                        Files.createDirectories(target.getParent());
                        Files.write(target, Resources.requireBytes(part.referenceResource(file)));
                    }
                }
            }
            return summary(results(config, submission));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the reference solutions", e);
        } finally {
            deleteTree(submission);
        }
    }

    static String results(AutograderConfig config, Path submission) throws InterruptedException {
        Catalog catalog = Catalog.load();
        List<Step> steps = config.steps().stream().map(catalog::requireStep).toList();
        // A step's own files and those of the steps it builds on (it runs the student's versions of those).
        Set<String> expected = new LinkedHashSet<>();
        steps.forEach(step -> catalog.withRequirements(step).forEach(part -> expected.addAll(part.files())));
        Map<String, SubmissionFiles.Found> found = SubmissionFiles.find(submission, expected);
        CheckOptions options = new CheckOptions(0,
                config.timeoutSeconds() == null ? null : Duration.ofSeconds(config.timeoutSeconds()),
                CheckOptions.DEFAULT_MEMORY_LIMIT, sandbox(config.sandbox()));
        Path dir = tempDir("tutor-autograder-");
        try {
            // As open as the folder `tutor init` makes: in user mode the student JVM loads the compiled classes
            // from the workspace's build folder, as another user. Nothing secret is in it.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Workspace.init(dir, catalog, StudentApiJar.build());
            Workspace workspace = Workspace.require(dir);
            for (SubmissionFiles.Found f : found.values()) {
                if (f.present()) {
                    Files.write(workspace.resolve(f.expected()), f.content());
                }
            }
            List<StepReport> reports = new ArrayList<>();
            for (Step step : steps) {
                boolean submitted = step.files().stream().anyMatch(file -> found.get(file).present());
                reports.add(submitted ? CheckRuns.workspace(workspace, step, options) : notSubmitted(step, found));
            }
            return GradescopeReport.render(reports, preface(found));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the workspace " + dir, e);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The isolation the checks get. Unlike {@code tutor check}, AUTO never falls back to none: the tutor's
     * jar holds the reference solutions, which unsandboxed code could read and print into its feedback.
     */
    static SandboxMode sandbox(SandboxMode asked) {
        SandboxMode mode = Sandbox.resolve(asked);
        if (asked == SandboxMode.AUTO && mode == SandboxMode.NONE) {
            throw new GradingUnavailableException("no sandbox works here (bubblewrap: "
                    + Sandbox.unavailable(SandboxMode.BWRAP) + "; a user of its own: "
                    + Sandbox.unavailable(SandboxMode.USER) + "), and unsandboxed code could read the reference "
                    + "solutions; make the bundle with --sandbox none to grade without one anyway");
        }
        return mode;
    }

    /** What the student reads first: which of their files were graded, which were not, and why. */
    private static String preface(Map<String, SubmissionFiles.Found> found) {
        StringBuilder s = new StringBuilder("Graded from your submission (only these files are read; "
                + "anything else you uploaded is ignored):\n");
        for (SubmissionFiles.Found f : found.values()) {
            s.append("  ").append(f.expected()).append(": ");
            if (f.present()) {
                s.append(f.found().equals(f.expected()) ? "found" : "your " + f.found());
            } else {
                s.append("NOT GRADED, ").append(f.problem()).append(" (the skeleton stands in for it)");
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** A step none of whose files came: each check scores 0 and says why, and nothing runs. */
    private static StepReport notSubmitted(Step step, Map<String, SubmissionFiles.Found> found) {
        String missing = step.files().stream().map(file -> found.get(file).fileName()).reduce((a, b) -> a + ", " + b)
                .orElse("");
        String message = "not submitted: no usable " + missing + " in your upload (looked for by name in every folder)";
        List<Check> checks = StepChecks.of(step).checks();
        List<CheckResult> results = checks.stream().map(c -> Checker.notRun(c, message)).toList();
        int skipped = (int) results.stream().filter(r -> r.status() == Outcome.SKIPPED).count();
        return new StepReport(StepReport.SCHEMA, StepReport.SCHEMA_VERSION, step.id(), step.title(), "NOT_SUBMITTED",
                0, results.size(), 0, 0, results.size() - skipped, skipped, 0, step.tolerance(), false, null,
                new StepReport.Compilation(false, List.of(), 0), results, new StepReport.Timing(0, 0, 0, 0, 0));
    }

    /** The results of a run the tutor could not finish: the student must not read it as a verdict. */
    static String fault(Throwable e) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("score", 0.0);
        root.put("output", "The autograder could not grade this submission: " + e.getMessage() + "\nThis is a fault "
                + "of the autograder or its installation, not a verdict on your code; please tell your instructor.");
        root.put("visibility", "visible");
        root.put("stdout_visibility", "hidden");
        root.put("tests", List.of());
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException io) {
            throw new IllegalStateException(io);
        }
    }

    /** Replaces the file in one step, so Gradescope never reads a half-written one. */
    static void write(Path file, String json) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".results-", ".json");
            Files.writeString(tmp, json);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Graded summary(String results) {
        try {
            JsonNode root = JSON.readTree(results);
            double max = 0;
            for (JsonNode test : root.path("tests")) {
                max += test.path("max_score").asDouble();
            }
            return new Graded(root.path("score").asDouble(), max, root.path("output").asText());
        } catch (IOException e) {
            throw new IllegalStateException("the results are not JSON", e);
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary folder", e);
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
