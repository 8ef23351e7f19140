package dev.tinyvllm.check;

import dev.tinyvllm.steps.week1.attention.AttentionOracle;

import static dev.tinyvllm.testing.TestWorkspace.allPassOrSkip;
import static dev.tinyvllm.testing.TestWorkspace.byId;
import static dev.tinyvllm.testing.TestWorkspace.dump;
import static dev.tinyvllm.testing.TestWorkspace.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.testing.AttentionSources;
import dev.tinyvllm.testing.TestWorkspace;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Student code that does not compile, hangs, exits, throws, hoards memory or reaches for hidden
 * classes: each gets its own clear result, the other functions are still graded, nothing crashes.
 */
class MisbehavingCodeTest {

    private static final String EAGER_BIDIRECTIONAL_BODY = "return eager(q, k, v, numHeads, headDim, mask, false);";

    @TempDir
    Path dir;

    private StepReport withEagerBidirectional(String body, int timeoutSeconds) {
        return TestWorkspace.create(dir)
                .attention(AttentionSources.referenceWith(EAGER_BIDIRECTIONAL_BODY, body))
                .check(timeoutSeconds);
    }

    private static void othersStillPass(StepReport report) {
        for (String f : new String[] {"eagerCausal", "sdpaBidirectional", "sdpaCausal", "flashBidirectional", "flashCausal"}) {
            assertTrue(allPassOrSkip(of(report, f)), f + " must still be graded and pass:\n" + dump(report));
        }
    }

    @Test
    void codeThatDoesNotCompileGivesFileLineDiagnostics() {
        String source = AttentionSources.referenceWith(EAGER_BIDIRECTIONAL_BODY, "return eager(q, k, v, numHeads, headDim, mask)");
        int line = source.lines().toList().indexOf(
                source.lines().filter(l -> l.contains("return eager(q, k, v, numHeads, headDim, mask)")).findFirst().orElseThrow()) + 1;
        StepReport report = TestWorkspace.create(dir).attention(source).check();
        assertEquals("COMPILE_ERROR", report.status());
        assertFalse(report.compile().ok());
        StudentCompiler.Message first = report.compile().messages().get(0);
        assertEquals(AttentionSources.FILE, first.file());
        assertEquals(line, first.line());
        assertTrue(first.message().contains("';' expected"), first.message());
        for (CheckResult c : report.checks()) {
            if (c.id().endsWith(".cuda")) {
                // It could not have run here anyway: skipped, so the points at stake stay the same.
                assertEquals(Outcome.SKIPPED, c.status(), c.id());
                continue;
            }
            assertEquals(Outcome.ERROR, c.status());
            assertTrue(c.message().startsWith("does not compile: " + AttentionSources.FILE + ":" + line), c.message());
        }
        assertTrue(report.checks().get(0).question().contains("compiler"), report.checks().get(0).question());
    }

    @Test
    void namingAnOracleClassDoesNotCompile() {
        String source = AttentionSources.referenceWith(EAGER_BIDIRECTIONAL_BODY,
                "return dev.tinyvllm.steps.week1.attention.AttentionOracle.eager(q, k, v, numHeads, headDim, mask, false, java.util.Set.of());");
        StepReport report = TestWorkspace.create(dir).attention(source).check();
        assertEquals("COMPILE_ERROR", report.status());
        String message = report.compile().messages().get(0).message();
        assertTrue(message.contains("package dev.tinyvllm.steps.week1.attention does not exist"), message);
        assertTrue(message.contains("hidden from student code"), message);
    }

    /**
     * An eager function that reaches for a hidden class by reflection is refused before it runs (the kernel
     * rule cannot follow reflection); at run time the class is not there to load at all, in any function
     * (HostileCodeTest tries that in every sandbox mode).
     */
    @Test
    void reachingForAnOracleClassByReflectionIsRefused() {
        StepReport report = withEagerBidirectional("""
                try {
                            Class<?> oracle = Class.forName("dev.tinyvllm.steps.week1.attention.AttentionOracle");
                            return (NDArray) oracle.getMethods()[0].invoke(null);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }""", 10);
        CheckResult c = byId(report, "eager_bidirectional.no_mask");
        assertEquals(Outcome.FAIL, c.status(), dump(report));
        assertTrue(c.message().contains("uses reflection (java.lang.Class.forName)"), c.message());
        othersStillPass(report);
    }

    @Test
    void anInfiniteLoopTimesOutAndTheOtherFunctionsAreStillGraded() {
        StepReport report = withEagerBidirectional("while (q != null) { Thread.onSpinWait(); } return q;", 2);
        CheckResult first = byId(report, "eager_bidirectional.no_mask");
        assertEquals(Outcome.ERROR, first.status());
        assertEquals("eagerBidirectional did not finish within 2 s and was stopped", first.message());
        assertTrue(first.question().contains("loop"), first.question());
        for (CheckResult c : of(report, "eagerBidirectional")) {
            assertEquals(Outcome.ERROR, c.status(), c.id());
        }
        assertTrue(byId(report, "eager_bidirectional.batch_1").message().startsWith("not run: eagerBidirectional was stopped"));
        othersStillPass(report);
    }

    @Test
    void systemExitEndsOnlyThatFunctionsChecks() {
        StepReport report = withEagerBidirectional("System.exit(3); return q;", 10);
        CheckResult c = byId(report, "eager_bidirectional.no_mask");
        assertEquals(Outcome.ERROR, c.status(), dump(report));
        assertTrue(c.message().startsWith("eagerBidirectional called System.exit(3)"), c.message());
        othersStillPass(report);
    }

    @Test
    void anExceptionIsReportedWithItsMessageAndLine() {
        StepReport report = withEagerBidirectional("throw new IllegalStateException(\"shapes went wrong\");", 10);
        CheckResult c = byId(report, "eager_bidirectional.no_mask");
        assertEquals(Outcome.ERROR, c.status());
        assertTrue(c.message().matches("eagerBidirectional threw java.lang.IllegalStateException: shapes went wrong at Attention.java:\\d+"),
                c.message());
        othersStillPass(report);
    }

    @Test
    void runningOutOfHeapIsThatChecksError() {
        StepReport report = withEagerBidirectional("long[] hoard = new long[Integer.MAX_VALUE - 16]; return q.add(hoard.length);", 10);
        CheckResult c = byId(report, "eager_bidirectional.no_mask");
        assertEquals(Outcome.ERROR, c.status(), dump(report));
        assertTrue(c.message().contains("ran out of memory"), c.message());
        othersStillPass(report);
    }

    @Test
    void nativeMemoryBeyondTheLimitIsStopped() {
        // 256 MiB of libtorch memory, held while the function sleeps; the limit is set below it.
        String body = """
                NDArray big = q.getManager().ones(new ai.djl.ndarray.types.Shape(64, 1024, 1024));
                        try { Thread.sleep(20_000); } catch (InterruptedException e) { }
                        return big;""";
        StepReport report = TestWorkspace.create(dir)
                .attention(AttentionSources.referenceWith(EAGER_BIDIRECTIONAL_BODY, body))
                .check(new CheckOptions(0, Duration.ofSeconds(30), 200L << 20));
        CheckResult c = byId(report, "eager_bidirectional.no_mask");
        assertEquals(Outcome.ERROR, c.status(), dump(report));
        assertTrue(c.message().matches("eagerBidirectional used \\d+ MiB of memory, over the limit of 200 MiB, and was stopped"),
                c.message());
    }

    @Test
    void whatStudentCodePrintsIsCapturedAndCut() {
        StepReport report = withEagerBidirectional(
                "for (int i = 0; i < 2000; i++) { System.out.println(\"debug line \" + i); }\n"
                        + "        return eager(q, k, v, numHeads, headDim, mask, false);", 10);
        CheckResult c = byId(report, "eager_bidirectional.no_mask");
        assertEquals(Outcome.PASS, c.status(), dump(report));
        assertTrue(c.output().startsWith("debug line 0\ndebug line 1\n"), c.output());
        assertTrue(c.output().contains("more bytes cut]"), c.output());
        assertTrue(c.output().length() < 4200, "cut to a few thousand characters");
    }

    @Test
    void aMissingMethodSaysWhichSignatureTheChecksCall() {
        String source = AttentionSources.referenceWith(
                "public static NDArray flashCausal(\n            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray cuSeqlens, int maxSeqlen)",
                "public static NDArray flashCausal(\n            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray cuSeqlens, long maxSeqlen)")
                .replace("return flash(q, k, v, numHeads, headDim, cuSeqlens, maxSeqlen, true);",
                        "return flash(q, k, v, numHeads, headDim, cuSeqlens, (int) maxSeqlen, true);");
        StepReport report = TestWorkspace.create(dir).attention(source).check();
        CheckResult c = byId(report, "flash_causal.ragged");
        assertEquals(Outcome.ERROR, c.status());
        assertTrue(c.message().contains(
                "has no public method flashCausal(NDArray, NDArray, NDArray, int, int, NDArray, int)"), c.message());
        assertTrue(allPassOrSkip(of(report, "flashBidirectional")), dump(report));
    }
}
