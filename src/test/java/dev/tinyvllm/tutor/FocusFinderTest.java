package dev.tinyvllm.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.check.StudentCompiler;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepGuide;
import dev.tinyvllm.testing.AttentionSources;
import dev.tinyvllm.curriculum.source.PartDetectors;
import dev.tinyvllm.curriculum.source.StudentFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the student is, from their source and from a check report. */
class FocusFinderTest {

    private static final Step STEP = Catalog.load().requireStep("week1/attention");
    private static final StepGuide GUIDE = StepGuide.load(STEP);
    private static final FocusFinder FINDER = new FocusFinder(STEP, GUIDE, PartDetectors.forStep(STEP));

    private static StudentFiles files(String source) {
        return new StudentFiles(Map.of(AttentionSources.FILE, source));
    }

    @Test
    void theSkeletonStartsAtTheFirstPart() {
        Focus f = FINDER.find(files(AttentionSources.skeleton()), null);
        assertEquals(Focus.Kind.PART, f.kind());
        assertEquals("part:split-heads:eagerBidirectional", f.key());
        assertEquals(GUIDE.part("split-heads").orElseThrow().questions(), f.questions());
        assertTrue(f.evidence().contains("still throws"), f.evidence());
    }

    @Test
    void theReferenceHasEveryPart() {
        assertEquals(Focus.Kind.READY_TO_CHECK, FINDER.find(files(AttentionSources.reference()), null).kind());
    }

    @Test
    void theFirstMissingPartIsFound() {
        String noScale = AttentionSources.referenceWith("scores = scores.div(Math.sqrt(headDim));\n", "");
        assertEquals("part:scale:eagerBidirectional", FINDER.find(files(noScale), null).key());
        String noSoftmax = AttentionSources.referenceWith("scores.softmax(-1)", "scores");
        assertEquals("part:softmax:eagerBidirectional", FINDER.find(files(noSoftmax), null).key());
        String noMerge = AttentionSources.referenceWith("return mergeHeads(context, numHeads, headDim);", "return context;");
        assertEquals("part:merge-heads:eagerBidirectional", FINDER.find(files(noMerge), null).key());
        String eagerOnly = AttentionSources.referenceWith(
                "return sdpa(q, k, v, numHeads, headDim, mask, false);",
                "throw new UnsupportedOperationException(\"sdpaBidirectional is not implemented yet\");");
        assertEquals("part:sdpa-call:sdpaBidirectional", FINDER.find(files(eagerOnly), null).key());
    }

    /** A student who writes everything inline, their own way, is read the same. */
    @Test
    void aStudentsOwnLayoutIsReadToo() {
        String own = AttentionSources.skeleton().replace(
                "throw new UnsupportedOperationException(\"eagerBidirectional is not implemented yet\");", """
                long b = q.getShape().get(0), t = q.getShape().get(1);
                NDArray qs = q.reshape(b, t, numHeads, headDim).swapAxes(1, 2);
                NDArray ks = k.reshape(b, t, numHeads, headDim).swapAxes(1, 2);
                NDArray s = qs.matMul(ks.swapAxes(2, 3)).mul(1.0 / Math.sqrt(headDim));
                return s; // not finished: no mask, no softmax yet
                """);
        Focus f = FINDER.find(files(own), null);
        assertEquals("part:padding-mask:eagerBidirectional", f.key(), f.evidence());
        assertTrue(f.evidence().contains("Keep padding out of every row"), f.evidence());
    }

    @Test
    void aDiagnosisComesBeforeTheSourceAndTheGuideOrdersDiagnoses() {
        StepReport report = report(
                check("eager_bidirectional.no_mask", "eagerBidirectional", Outcome.PASS),
                check("eager_causal.padding_mask", "eagerCausal", Outcome.FAIL, "MASK_INVERTED", "SCALE_MISSING"),
                check("sdpa_bidirectional.no_mask", "sdpaBidirectional", Outcome.NOT_IMPLEMENTED));
        Focus f = FINDER.find(files(AttentionSources.reference()), report);
        assertEquals(Focus.Kind.TAG, f.kind());
        assertEquals("tag:SCALE_MISSING:eagerCausal", f.key());
        assertEquals(GUIDE.tagQuestions().get("SCALE_MISSING"), f.questions());
        assertTrue(f.evidence().contains("padding_mask"), f.evidence());
    }

    @Test
    void errorsArePlacedByTheirSituation() {
        CheckResult timeout = check("eager_causal.no_mask", "eagerCausal", Outcome.ERROR)
                .withQuestion(GUIDE.questionForSituation("TIMEOUT").orElseThrow());
        Focus f = FINDER.find(files(AttentionSources.reference()), report(timeout));
        assertEquals("situation:TIMEOUT:eagerCausal", f.key());
        assertTrue(f.evidence().contains("time limit"), f.evidence());
    }

    @Test
    void aCompileErrorAndAPassAreRecognised() {
        StepReport broken = new StepReport(StepReport.SCHEMA, 1, STEP.id(), STEP.title(), "COMPILE_ERROR", 0, 1, 0, 0, 1, 0,
                0, STEP.tolerance(), false, null, new StepReport.Compilation(false, List.of(new StudentCompiler.Message(
                        "src/main/java/week1/attention/Attention.java", 42L, 9L, "ERROR", "';' expected")), 5),
                List.of(check("eager_bidirectional.no_mask", "eagerBidirectional", Outcome.ERROR)), null);
        Focus f = FINDER.find(files(AttentionSources.reference()), broken);
        assertEquals("situation:COMPILE_ERROR:null", f.key());
        assertTrue(f.evidence().contains("Attention.java line 42"), f.evidence());

        Focus passed = FINDER.find(files(AttentionSources.reference()), report(
                check("eager_bidirectional.no_mask", "eagerBidirectional", Outcome.PASS),
                check("flash_causal.cuda", "flashCausal", Outcome.SKIPPED)));
        assertEquals(Focus.Kind.PASSED, passed.kind());
        assertEquals(GUIDE.reflection(), passed.questions());
    }

    @Test
    void withoutAWorkspaceTheFirstPartIsTheTopic() {
        Focus f = FINDER.find(null, null);
        assertEquals(Focus.Kind.NO_WORKSPACE, f.kind());
        assertTrue(f.evidence().contains("tutor init"), f.evidence());
    }

    static CheckResult check(String id, String function, Outcome status, String... tags) {
        return new CheckResult(id, function, "", status, status + " message", List.of(tags), null, null, null, null,
                null, null, null, 1);
    }

    static StepReport report(CheckResult... checks) {
        List<CheckResult> all = List.of(checks);
        boolean pass = all.stream().allMatch(c -> c.status() == Outcome.PASS || c.status() == Outcome.SKIPPED);
        return new StepReport(StepReport.SCHEMA, 1, STEP.id(), STEP.title(), pass ? "PASS" : "FAIL",
                (int) all.stream().filter(c -> c.status() == Outcome.PASS).count(), all.size(), 0, 0, 0,
                (int) all.stream().filter(c -> c.status() == Outcome.SKIPPED).count(), 0, STEP.tolerance(), false,
                StepReport.Isolation.of(dev.tinyvllm.check.SandboxMode.NONE), new StepReport.Compilation(true, List.of(), 1),
                all, null);
    }
}
