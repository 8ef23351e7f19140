package dev.tinyvllm.check;

import static dev.tinyvllm.testing.TestWorkspace.allPassOrSkip;
import static dev.tinyvllm.testing.TestWorkspace.dump;
import static dev.tinyvllm.testing.TestWorkspace.of;
import static dev.tinyvllm.testing.TestWorkspace.tags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.testing.AttentionSources;
import dev.tinyvllm.testing.TestWorkspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutants of the reference solution, each a mistake students make: every one must be caught with
 * its tag, on the functions it breaks and on no other, and no check may claim a tag the mistake
 * does not explain. Two mistakes at once must still be told apart where they can be.
 */
class MutantDiagnosisTest {

    private static final List<String> ALL = List.of("eagerBidirectional", "eagerCausal", "sdpaBidirectional",
            "sdpaCausal", "flashBidirectional", "flashCausal");
    private static final List<String> EAGER = List.of("eagerBidirectional", "eagerCausal");
    private static final List<String> EAGER_AND_SDPA = List.of("eagerBidirectional", "eagerCausal",
            "sdpaBidirectional", "sdpaCausal");

    /**
     * @param broken the functions that must fail (all others must pass)
     * @param required tags that must appear on the broken functions' checks
     * @param allowed tags any failing check may carry (required ones included)
     */
    record Mutant(String name, List<String> edits, List<String> broken, Set<String> required, Set<String> allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Mutant> mutants() {
        return Stream.of(
                new Mutant("no scale", List.of("scores = scores.div(Math.sqrt(headDim));", ""),
                        EAGER, Set.of("SCALE_MISSING"), Set.of("SCALE_MISSING")),
                new Mutant("scale by headDim", List.of("scores.div(Math.sqrt(headDim))", "scores.div(headDim)"),
                        EAGER, Set.of("SCALE_WRONG"), Set.of("SCALE_WRONG")),
                new Mutant("padding mask ignored", List.of("allowed = mask.reshape(batch, 1, 1, seqLen);", ""),
                        EAGER_AND_SDPA, Set.of("MASK_IGNORED"), Set.of("MASK_IGNORED")),
                new Mutant("padding mask inverted", List.of("allowed = mask.reshape(batch, 1, 1, seqLen);",
                        "allowed = mask.logicalNot().reshape(batch, 1, 1, seqLen);"),
                        EAGER_AND_SDPA, Set.of("MASK_INVERTED"), Set.of("MASK_INVERTED", "NAN_OUTPUT")),
                new Mutant("causal rule missing", List.of("return eager(q, k, v, numHeads, headDim, mask, true);",
                        "return eager(q, k, v, numHeads, headDim, mask, false);"),
                        List.of("eagerCausal"), Set.of("CAUSAL_MISSING"), Set.of("CAUSAL_MISSING")),
                new Mutant("causal rule hides the diagonal", List.of("NDArray lower = cols.lte(rows);",
                        "NDArray lower = cols.lt(rows);"),
                        List.of("eagerCausal", "sdpaCausal"), Set.of("CAUSAL_OFF_BY_ONE"),
                        Set.of("CAUSAL_OFF_BY_ONE", "NAN_OUTPUT")),
                new Mutant("causal rule shows the next token", List.of("NDArray lower = cols.lte(rows);",
                        "NDArray lower = cols.lte(rows.add(1));"),
                        List.of("eagerCausal", "sdpaCausal"), Set.of("CAUSAL_OFF_BY_ONE"), Set.of("CAUSAL_OFF_BY_ONE")),
                new Mutant("heads split without transpose", List.of(
                        "return x.reshape(batch, seqLen, numHeads, headDim).transpose(0, 2, 1, 3);",
                        "return x.reshape(batch, numHeads, seqLen, headDim);"),
                        EAGER_AND_SDPA, Set.of("HEADS_NOT_TRANSPOSED"), Set.of("HEADS_NOT_TRANSPOSED")),
                new Mutant("heads merged without transpose", List.of(
                        "return x.transpose(0, 2, 1, 3).reshape(batch, seqLen, (long) numHeads * headDim);",
                        "return x.reshape(batch, seqLen, (long) numHeads * headDim);"),
                        EAGER_AND_SDPA, Set.of("HEADS_MERGED_WRONG"), Set.of("HEADS_MERGED_WRONG")),
                new Mutant("softmax over queries", List.of("scores.softmax(-1)", "scores.softmax(-2)"),
                        EAGER, Set.of("SOFTMAX_WRONG_AXIS"), Set.of("SOFTMAX_WRONG_AXIS", "NAN_OUTPUT")),
                new Mutant("varlen as one sequence", List.of(
                        "NDArray out = Kernels.flashAttentionVarlen(qt, kt, vt, cuSeqlens, cuSeqlens, maxSeqlen, maxSeqlen, causal);",
                        "NDArray whole = q.getManager().create(new int[] {0, (int) tokens});\n"
                                + "        NDArray out = Kernels.flashAttentionVarlen(qt, kt, vt, whole, whole, (int) tokens, (int) tokens, causal);"),
                        List.of("flashBidirectional", "flashCausal"), Set.of("VARLEN_CROSSES_SEQUENCES"),
                        Set.of("VARLEN_CROSSES_SEQUENCES")),
                new Mutant("scores divided by zero", List.of("scores.div(Math.sqrt(headDim))", "scores.div(0.0)"),
                        EAGER, Set.of("NAN_OUTPUT"), Set.of("NAN_OUTPUT")),
                new Mutant("heads never merged", List.of(
                        "return x.transpose(0, 2, 1, 3).reshape(batch, seqLen, (long) numHeads * headDim);",
                        "return x;"),
                        EAGER_AND_SDPA, Set.of("SHAPE_MISMATCH"), Set.of("SHAPE_MISMATCH")),
                // Two mistakes at once.
                new Mutant("no scale + inverted mask", List.of(
                        "scores = scores.div(Math.sqrt(headDim));", "",
                        "allowed = mask.reshape(batch, 1, 1, seqLen);",
                        "allowed = mask.logicalNot().reshape(batch, 1, 1, seqLen);"),
                        EAGER_AND_SDPA, Set.of("SCALE_MISSING", "MASK_INVERTED"),
                        Set.of("SCALE_MISSING", "MASK_INVERTED", "NAN_OUTPUT")),
                new Mutant("heads not transposed + causal missing", List.of(
                        "return x.reshape(batch, seqLen, numHeads, headDim).transpose(0, 2, 1, 3);",
                        "return x.reshape(batch, numHeads, seqLen, headDim);",
                        "return eager(q, k, v, numHeads, headDim, mask, true);",
                        "return eager(q, k, v, numHeads, headDim, mask, false);"),
                        EAGER_AND_SDPA, Set.of("HEADS_NOT_TRANSPOSED", "CAUSAL_MISSING"),
                        Set.of("HEADS_NOT_TRANSPOSED", "CAUSAL_MISSING", "HEADS_MIXED")),
                new Mutant("scale by headDim + softmax over queries", List.of(
                        "scores.div(Math.sqrt(headDim))", "scores.div(headDim)",
                        "scores.softmax(-1)", "scores.softmax(-2)"),
                        EAGER, Set.of("SCALE_WRONG", "SOFTMAX_WRONG_AXIS"),
                        Set.of("SCALE_WRONG", "SOFTMAX_WRONG_AXIS", "NAN_OUTPUT")),
                new Mutant("merged wrong + next token visible", List.of(
                        "return x.transpose(0, 2, 1, 3).reshape(batch, seqLen, (long) numHeads * headDim);",
                        "return x.reshape(batch, seqLen, (long) numHeads * headDim);",
                        "NDArray lower = cols.lte(rows);", "NDArray lower = cols.lte(rows.add(1));"),
                        EAGER_AND_SDPA, Set.of("HEADS_MERGED_WRONG", "CAUSAL_OFF_BY_ONE"),
                        Set.of("HEADS_MERGED_WRONG", "CAUSAL_OFF_BY_ONE", "HEADS_MIXED")));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void mutantIsCaughtWithItsTagsAndNothingElse(Mutant mutant) {
        String source = AttentionSources.referenceWith(mutant.edits().toArray(String[]::new));
        StepReport report = TestWorkspace.create(dir).attention(source).check();
        String dump = dump(report);
        for (String function : ALL) {
            List<CheckResult> checks = of(report, function);
            if (!mutant.broken().contains(function)) {
                assertTrue(allPassOrSkip(checks), function + " should be untouched by " + mutant + ":\n" + dump);
                continue;
            }
            assertTrue(checks.stream().anyMatch(c -> c.status() == Outcome.FAIL), function + " must fail:\n" + dump);
            for (CheckResult c : checks) {
                assertTrue(mutant.allowed().containsAll(c.tags()),
                        c.id() + " claims " + c.tags() + ", not explained by " + mutant + ":\n" + dump);
                if (c.status() == Outcome.FAIL && !c.tags().isEmpty()) {
                    assertTrue(c.question() != null && c.question().endsWith("?"), c.id());
                }
            }
        }
        Set<String> seen = tags(report.checks());
        assertTrue(seen.containsAll(mutant.required()), "expected " + mutant.required() + ", saw " + seen + ":\n" + dump);
        assertEquals("FAIL", report.status());
    }
}
