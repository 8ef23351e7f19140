package dev.tinyvllm.check;

import static dev.tinyvllm.testing.TestWorkspace.byId;
import static dev.tinyvllm.testing.TestWorkspace.dump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepFunction;
import dev.tinyvllm.testing.StepSources;
import dev.tinyvllm.testing.TestWorkspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The week-1 layer steps through the real checker (child JVM, questions from the guides): each
 * reference passes every check, each skeleton is NOT_IMPLEMENTED everywhere, and a step that builds on
 * earlier steps compiles and runs the student's own code of those steps.
 */
class LayerStepsGradingTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"week1/rope", "week1/gqa", "week1/rmsnorm-mlp", "week1/qwen2-block", "week1/qwen2-model",
        "week1/generate", "week1/sampling"})
    void referenceSolutionPassesEveryCheck(String stepId) throws Exception {
        Step step = Catalog.load().requireStep(stepId);
        StepReport report = CheckRuns.reference(step, CheckOptions.defaults());
        assertEquals("PASS", report.status(), dump(report));
        assertEquals(report.total(), report.passed(), dump(report));
        assertEquals(0, report.skipped());
        assertTrue(report.total() >= 4, dump(report));
        for (StepFunction function : step.functions()) {
            assertTrue(report.checks().stream().anyMatch(c -> c.function().equals(function.name())), function.name());
        }
    }

    @Test
    void untouchedSkeletonsAreNotImplementedEverywhereWithTheFirstQuestionOfTheirPart() {
        TestWorkspace ws = TestWorkspace.create(dir);
        for (String stepId : List.of("week1/rope", "week1/gqa", "week1/rmsnorm-mlp", "week1/qwen2-block",
                "week1/qwen2-model", "week1/generate", "week1/sampling")) {
            StepReport report = ws.check(stepId);
            assertEquals("NOT_IMPLEMENTED", report.status(), stepId + "\n" + dump(report));
            for (CheckResult c : report.checks()) {
                assertEquals(Outcome.NOT_IMPLEMENTED, c.status(), c.id());
                assertTrue(c.message().contains("not implemented yet"), c.message());
                assertNotNull(c.question(), c.id());
                assertTrue(c.question().endsWith("?"), c.question());
            }
        }
    }

    @Test
    void theBlockRunsTheStudentsOwnPartsAndNamesTheOneThatDiverges() {
        // A correct block on top of an RMSNorm that forgets its weight: the block's own code is right.
        TestWorkspace ws = TestWorkspace.create(dir).solved("week1/qwen2-block", Map.of(
                "src/main/java/week1/mlp/RMSNorm.java", StepSources.referenceWith("week1/rmsnorm-mlp",
                "src/main/java/week1/mlp/RMSNorm.java", "normed.toType(type, false).mul(weight)", "normed.toType(type, false)")));
        StepReport report = ws.check("week1/qwen2-block");
        CheckResult c = byId(report, "qwen2_block.gqa");
        assertEquals(Outcome.FAIL, c.status(), dump(report));
        assertEquals(List.of("NORM_DIVERGES"), c.tags());
        assertTrue(c.message().contains("the first part to differ is your RMSNorm (week1/rmsnorm-mlp), as the input norm"),
                c.message());
        assertTrue(c.question().contains("week1/rmsnorm-mlp"), c.question());
    }

    @Test
    void aCompileErrorInAnEarlierStepsCodeSaysWhichStepItBelongsTo() {
        TestWorkspace ws = TestWorkspace.create(dir);
        ws.write("src/main/java/week1/rope/RoPE.java", StepSources.skeleton("week1/rope", "src/main/java/week1/rope/RoPE.java")
                .replace("public NDArray apply(NDArray x, int offset) {", "public NDArray apply(NDArray x, int offset) { int"));
        StepReport gqa = ws.check("week1/gqa");
        assertEquals("COMPILE_ERROR", gqa.status(), dump(gqa));
        StudentCompiler.Message first = gqa.compile().messages().get(0);
        assertEquals("src/main/java/week1/rope/RoPE.java", first.file());
        assertTrue(gqa.checks().get(0).message().endsWith("(week1/gqa compiles your week1/rope code too, because it calls it)"),
                gqa.checks().get(0).message());
        // A step that does not build on week1/rope is not held back by it.
        StepReport norm = ws.check("week1/rmsnorm-mlp");
        assertTrue(norm.compile().ok(), dump(norm));
        assertFalse(norm.compile().messages().stream().anyMatch(m -> "src/main/java/week1/rope/RoPE.java".equals(m.file())));
    }
}
