package dev.tinyvllm.check;

import static dev.tinyvllm.testing.TestWorkspace.allPassOrSkip;
import static dev.tinyvllm.testing.TestWorkspace.byId;
import static dev.tinyvllm.testing.TestWorkspace.dump;
import static dev.tinyvllm.testing.TestWorkspace.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.StepGuide;
import dev.tinyvllm.testing.AttentionSources;
import dev.tinyvllm.testing.InProcessGrading;
import dev.tinyvllm.testing.TestWorkspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference passes, the skeleton is not implemented, the report's contract holds, and the eager
 * functions may reach no fused kernel, directly or through a helper.
 */
class AttentionGradingTest {

    private static final String STEP = "week1/attention";
    private static final String NO_KERNEL_WHY = "the eager versions are built from plain NDArray operations";

    @TempDir
    Path dir;

    @Test
    void referenceSolutionPassesEveryCheckAndCudaIsSkippedWithItsReason() throws Exception {
        StepReport report = CheckRuns.reference(Catalog.load().requireStep("week1/attention"), CheckOptions.defaults());
        assertEquals("PASS", report.status(), dump(report));
        assertTrue(report.reference());
        for (CheckResult c : report.checks()) {
            if (c.id().endsWith(".cuda")) {
                // No GPU on the build machine: the flash kernel cannot run, and that is never a pass.
                assertEquals(Outcome.SKIPPED, c.status(), c.id());
                assertTrue(c.message().contains("no CUDA device"), c.message());
            } else {
                assertEquals(Outcome.PASS, c.status(), c.id() + ": " + c.message());
            }
        }
        assertEquals(24, report.passed());
        assertEquals(26, report.total());
        assertEquals(2, report.skipped());
        assertTrue(report.timing().libtorchMs() > 0);
    }

    @Test
    void untouchedSkeletonIsNotImplementedEverywhereWithTheFirstQuestionOfItsPart() {
        StepReport report = TestWorkspace.create(dir).check();
        assertEquals("NOT_IMPLEMENTED", report.status(), dump(report));
        for (CheckResult c : report.checks()) {
            if (c.id().endsWith(".cuda")) {
                assertEquals(Outcome.SKIPPED, c.status());
                continue;
            }
            assertEquals(Outcome.NOT_IMPLEMENTED, c.status(), c.id());
            assertTrue(c.message().contains("not implemented yet"), c.message());
            assertNotNull(c.question(), c.id());
            assertTrue(c.question().endsWith("?"), c.question());
        }
        assertEquals(0, report.passed());
    }

    @Test
    void progressRecordsEachCheckOfTheWorkspace() {
        TestWorkspace ws = TestWorkspace.create(dir);
        ws.check();
        ws.attention(AttentionSources.reference()).check();
        var progress = dev.tinyvllm.curriculum.Progress.of(dev.tinyvllm.curriculum.Workspace.require(dir))
                .get("week1/attention");
        assertEquals("PASS", progress.status());
        assertEquals(2, progress.attempts());
        assertNotNull(progress.firstPassedAt());
    }

    @Test
    void aWrongShapeIsReportedBeforeAnyValue() {
        StepReport report = TestWorkspace.create(dir).attention(AttentionSources.referenceWith(
                "return mergeHeads(context, numHeads, headDim);\n    }\n\n    private static NDArray sdpa(",
                "return context;\n    }\n\n    private static NDArray sdpa(")).check();
        CheckResult c = byId(report, "eager_bidirectional.no_mask");
        assertEquals(Outcome.FAIL, c.status());
        assertEquals(List.of("SHAPE_MISMATCH"), c.tags());
        assertTrue(c.message().contains("expected shape [2, 7, 15], got [2, 3, 7, 5]"), c.message());
        assertTrue(c.message().contains("same number of values"), c.message());
        assertNull(c.maxAbsError());
        assertTrue(allPassOrSkip(of(report, "sdpaCausal")), dump(report));
    }

    @Test
    void aValueErrorSaysWhereItIsLargestAndAsksAQuestionWithoutAFix() {
        // An error no known misconception explains: no tag may be claimed, but the place is reported.
        StepReport report = TestWorkspace.create(dir).attention(AttentionSources.referenceWith(
                "NDArray context = weights.matMul(vh);", "NDArray context = weights.matMul(vh).add(0.01f);")).check();
        for (CheckResult c : of(report, "eagerBidirectional")) {
            if (c.id().endsWith("padded_keys_ignored")) {
                assertEquals(Outcome.PASS, c.status(), "an offset does not depend on padded keys");
                continue;
            }
            assertEquals(Outcome.FAIL, c.status(), c.id());
            assertEquals(List.of(), c.tags(), c.id() + " claims a diagnosis it cannot make");
            assertTrue(c.message().matches(".*largest error 0\\.0100.* at batch \\d+, token \\d+, head \\d+"), c.message());
            assertNotNull(c.where());
            assertTrue(c.question().endsWith("?"));
        }
    }

    @Test
    void anEagerFunctionWrittenAroundTheFusedKernelFailsEveryCheckByTheKernelRule() {
        // Right values, wrong means: the kernel rule fails it before any of its code runs.
        StepReport report = TestWorkspace.create(dir).attention(AttentionSources.referenceWith(
                "return eager(q, k, v, numHeads, headDim, mask, false);",
                "NDArray allowed = mask == null ? null : mask.reshape(q.getShape().get(0), 1, 1, q.getShape().get(1));\n"
                        + "        return mergeHeads(Kernels.scaledDotProductAttention(splitHeads(q, numHeads, headDim),\n"
                        + "                splitHeads(k, numHeads, headDim), splitHeads(v, numHeads, headDim), allowed, false),\n"
                        + "                numHeads, headDim);")).check();
        assertEquals("FAIL", report.status(), dump(report));
        String question = StepGuide.load(Catalog.load().requireStep(STEP)).questionForSituation("KERNEL_NOT_ALLOWED")
                .orElseThrow();
        List<CheckResult> eager = of(report, "eagerBidirectional");
        assertEquals(4, eager.size());
        for (CheckResult c : eager) {
            assertEquals(Outcome.FAIL, c.status(), c.id());
            assertTrue(c.message().startsWith("eagerBidirectional calls Kernels.scaledDotProductAttention, but "
                    + NO_KERNEL_WHY), c.message());
            assertEquals(List.of(), c.tags(), c.id());
            assertEquals(question, c.question(), c.id());
        }
        for (String f : List.of("eagerCausal", "sdpaBidirectional", "sdpaCausal", "flashBidirectional", "flashCausal")) {
            assertTrue(allPassOrSkip(of(report, f)), f + " must still pass:\n" + dump(report));
        }
    }

    @Test
    void aKernelReachedThroughAHelperMethodIsCaughtToo() {
        List<CheckResult> results = InProcessGrading.grade(dir, STEP, Map.of(AttentionSources.FILE,
                AttentionSources.referenceWith("return eager(q, k, v, numHeads, headDim, mask, true);",
                        "return sdpa(q, k, v, numHeads, headDim, mask, true);")));
        assertEquals(4, results.stream().filter(c -> c.function().equals("eagerCausal")).count());
        for (CheckResult c : results) {
            if (c.function().equals("eagerCausal")) {
                assertEquals(Outcome.FAIL, c.status(), c.id());
                assertTrue(c.message().startsWith("eagerCausal calls Kernels.scaledDotProductAttention (through "
                        + "Attention.sdpa), but " + NO_KERNEL_WHY), c.message());
            } else {
                assertTrue(TestWorkspace.passOrSkip(c), c.id() + " " + c.status() + " " + c.message());
            }
        }
    }
}
