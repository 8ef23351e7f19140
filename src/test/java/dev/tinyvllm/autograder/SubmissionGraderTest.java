package dev.tinyvllm.autograder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.SandboxMode;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.check.judge.Sandbox;
import dev.tinyvllm.check.report.GradescopeReport;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of grading a submission that run no student code: the merged results.json, a submission
 * without the step's file, and a broken autograder (AutograderIT grades real submissions through the bundle).
 */
class SubmissionGraderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static StepReport report(String step, StepReport.Isolation isolation, CheckResult... checks) {
        List<CheckResult> list = List.of(checks);
        int passed = (int) list.stream().filter(c -> c.status() == Outcome.PASS).count();
        int skipped = (int) list.stream().filter(c -> c.status() == Outcome.SKIPPED).count();
        return new StepReport(StepReport.SCHEMA, StepReport.SCHEMA_VERSION, step, "Title of " + step,
                passed == list.size() - skipped ? "PASS" : "FAIL", passed, list.size(), list.size() - passed - skipped,
                0, 0, skipped, 0, new Tolerance(1e-4, 1e-5), false, isolation,
                new StepReport.Compilation(true, List.of(), 1), list, new StepReport.Timing(1, 1, 1, 1, 1));
    }

    private static CheckResult result(String id, Outcome outcome) {
        return CheckResult.of(new CheckSpec(id, "f", "what " + id), outcome, outcome + " because");
    }

    @Test
    void severalStepsMakeOneResultsFileWithATestPerCheckNamedByItsStep() throws Exception {
        StepReport.Isolation bwrap = StepReport.Isolation.of(SandboxMode.BWRAP);
        String json = GradescopeReport.render(List.of(
                report("week1/a", bwrap, result("f.one", Outcome.PASS), result("f.cuda", Outcome.SKIPPED)),
                report("week1/b", bwrap, result("g.one", Outcome.FAIL), result("g.two", Outcome.PASS))), "files: ok\n");
        JsonNode root = JSON.readTree(json);
        assertEquals(2.0, root.get("score").asDouble());
        assertEquals(3.0, root.get("max_score").asDouble());
        assertEquals(4, root.get("tests").size());
        assertEquals("week1/a: f.one", root.get("tests").get(0).get("name").asText());
        assertEquals(0.0, root.get("tests").get(1).get("max_score").asDouble(), "a skipped check is worth nothing");
        assertEquals("failed", root.get("tests").get(2).get("status").asText());
        String output = root.get("output").asText();
        assertTrue(output.startsWith("files: ok\n"), output);
        assertTrue(output.contains("week1/b - Title of week1/b\n  FAIL: 1 of 2 checks passed, 1 failed"), output);
        assertTrue(output.contains("isolation: bwrap (bubblewrap"), output);
    }

    @Test
    void aSubmissionWithoutTheStepsFileScoresZeroAndSaysWhyWithoutRunningAnything() throws Exception {
        SubmissionGrader.Layout layout = new SubmissionGrader.Layout(dir);
        Files.createDirectories(layout.source());
        Files.write(layout.config(), AutograderConfig.of("0.1.0", List.of("test/scale"), null, SandboxMode.AUTO).toJson());
        Files.createDirectories(layout.submission().resolve("src"));
        Files.writeString(layout.submission().resolve("src/Notes.java"), "class Notes {}");
        Files.createDirectories(layout.submission().resolve(".tutor"));
        Files.writeString(layout.submission().resolve(".tutor/progress.json"), "{\"forged\": true}");

        SubmissionGrader.Graded graded = SubmissionGrader.grade(layout);
        assertEquals(0.0, graded.score());
        assertEquals(2.0, graded.maxScore());
        JsonNode root = JSON.readTree(Files.readString(layout.results()));
        assertEquals(0.0, root.get("score").asDouble());
        assertTrue(root.get("output").asText().contains(
                "src/main/java/test/scale/Scale.java: NOT GRADED, not found in your submission"), root.toString());
        assertTrue(root.get("output").asText().contains("NOT_SUBMITTED"), root.toString());
        for (JsonNode test : root.get("tests")) {
            assertTrue(test.get("output").asText().contains("not submitted: no usable Scale.java"), test.toString());
        }
    }

    /** Gradescope runs the autograder as root in a container, where bubblewrap often cannot work: user mode. */
    @Test
    void inUserModeTheSubmissionIsGradedAsAnotherUser() throws Exception {
        assumeTrue(Sandbox.unavailable(SandboxMode.USER) == null, "only root can run code as another user");
        SubmissionGrader.Layout layout = new SubmissionGrader.Layout(dir);
        Files.createDirectories(layout.source());
        Files.write(layout.config(), AutograderConfig.of("0.1.0", List.of("test/scale"), null, SandboxMode.USER).toJson());
        Files.createDirectories(layout.submission());
        Files.writeString(layout.submission().resolve("Scale.java"),
                Resources.requireText("reference-solutions/test/scale/src/main/java/test/scale/Scale.java"));

        SubmissionGrader.Graded graded = SubmissionGrader.grade(layout);
        assertEquals(2.0, graded.score(), graded.output() + Files.readString(layout.results()));
        assertTrue(graded.output().contains("isolation: user ("), graded.output());
    }

    @Test
    void aBrokenAutograderStillWritesResultsThatBlameItselfNotTheStudent() throws Exception {
        SubmissionGrader.Layout layout = new SubmissionGrader.Layout(dir);
        SubmissionGrader.Graded graded = SubmissionGrader.grade(layout); // no autograder.json at all
        assertEquals(0.0, graded.score());
        JsonNode root = JSON.readTree(Files.readString(layout.results()));
        assertEquals(0.0, root.get("score").asDouble());
        assertEquals(0, root.get("tests").size());
        assertTrue(root.get("output").asText().contains("not a verdict on your code"), root.toString());
    }
}
