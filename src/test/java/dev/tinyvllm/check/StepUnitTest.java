package dev.tinyvllm.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.testing.TestWorkspace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step is one unit: test/scale exists only in the test resources (its catalog line, its curriculum,
 * guide and reference folders) and in one package of test code, and the checker finds and grades it
 * like any course step, through a real sandboxed student JVM.
 */
class StepUnitTest {

    private static final String FILE = "src/main/java/test/scale/Scale.java";

    @TempDir
    Path dir;

    @Test
    void theTestStepJoinsTheCourseThroughItsOwnCatalogLine() {
        Step step = Catalog.load().requireStep("test/scale");
        assertEquals("dev.tinyvllm.steps.test.scale.ScaleChecks", step.checks());
        assertEquals(List.of("times.values", "times.zero"),
                StepChecks.of(step).checks().stream().map(Check::id).toList());
    }

    @Test
    void theReferencePassesTheSkeletonIsNotImplementedAndAMistakeIsNamed() throws Exception {
        Step step = Catalog.load().requireStep("test/scale");
        StepReport reference = CheckRuns.reference(step, CheckOptions.defaults());
        assertEquals("PASS", reference.status(), TestWorkspace.dump(reference));
        assertTrue(reference.isolation() != null);

        TestWorkspace ws = TestWorkspace.create(dir);
        StepReport skeleton = ws.check("test/scale");
        assertEquals("NOT_IMPLEMENTED", skeleton.status(), TestWorkspace.dump(skeleton));

        ws.write(FILE, """
                package test.scale;

                import ai.djl.ndarray.NDArray;

                public final class Scale {
                    public static NDArray times(NDArray x, float k) {
                        return x.add(k);
                    }
                }
                """);
        StepReport wrong = ws.check("test/scale");
        CheckResult values = TestWorkspace.byId(wrong, "times.values");
        assertEquals(Outcome.FAIL, values.status(), TestWorkspace.dump(wrong));
        assertEquals(List.of("ADDED_INSTEAD"), values.tags());
        assertTrue(values.question().contains("operation"), values.question());
        CheckResult zero = TestWorkspace.byId(wrong, "times.zero");
        assertEquals(Outcome.SKIPPED, zero.status());
        assertTrue(zero.message().contains("needs times.values to pass first"), zero.message());
    }
}
