package dev.tinyvllm.check;

import dev.tinyvllm.testing.AttentionSources;
import dev.tinyvllm.testing.Mutant;
import dev.tinyvllm.testing.MutantTable;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutants of the reference solution, each a mistake students make: every one must be caught with
 * its tag, on the functions it breaks and on no other, and no check may claim a tag the mistake
 * does not explain. Two mistakes at once must still be told apart where they can be. The table is
 * graded with the real checks and judge in this JVM; a few mutants also go through {@code tutor
 * check}'s whole path (sandboxed student JVM, questions, the step's status).
 */
class MutantDiagnosisTest extends MutantTable {

    private static final String STEP = "week1/attention";
    private static final List<String> EAGER = List.of("eagerBidirectional", "eagerCausal");
    private static final List<String> EAGER_AND_SDPA = List.of("eagerBidirectional", "eagerCausal",
            "sdpaBidirectional", "sdpaCausal");

    /**
     * @param edits pairs of from, to in the reference
     * @param broken the functions that must fail (all others must pass)
     * @param required tags that must appear on the broken functions' checks
     * @param allowed tags any failing check may carry (required ones included)
     */
    private static Mutant mutant(String name, List<String> edits, List<String> broken, Set<String> required,
            Set<String> allowed) {
        Mutant mutant = Mutant.of(name, STEP).edit(AttentionSources.FILE, edits.toArray(String[]::new)).shows(required);
        broken.forEach(function -> mutant.breaks(function, Set.of(), allowed));
        return mutant;
    }

    static Stream<Mutant> mutants() {
        return Stream.of(
                mutant("no scale", List.of("scores = scores.div(Math.sqrt(headDim));", ""),
                        EAGER, Set.of("SCALE_MISSING"), Set.of("SCALE_MISSING")),
                mutant("scale by headDim", List.of("scores.div(Math.sqrt(headDim))", "scores.div(headDim)"),
                        EAGER, Set.of("SCALE_WRONG"), Set.of("SCALE_WRONG")),
                mutant("padding mask ignored", List.of("allowed = mask.reshape(batch, 1, 1, seqLen);", ""),
                        EAGER_AND_SDPA, Set.of("MASK_IGNORED"), Set.of("MASK_IGNORED")),
                mutant("padding mask inverted", List.of("allowed = mask.reshape(batch, 1, 1, seqLen);",
                        "allowed = mask.logicalNot().reshape(batch, 1, 1, seqLen);"),
                        EAGER_AND_SDPA, Set.of("MASK_INVERTED"), Set.of("MASK_INVERTED", "NAN_OUTPUT")),
                mutant("causal rule missing", List.of("return eager(q, k, v, numHeads, headDim, mask, true);",
                        "return eager(q, k, v, numHeads, headDim, mask, false);"),
                        List.of("eagerCausal"), Set.of("CAUSAL_MISSING"), Set.of("CAUSAL_MISSING")),
                mutant("causal rule hides the diagonal", List.of("NDArray lower = cols.lte(rows);",
                        "NDArray lower = cols.lt(rows);"),
                        List.of("eagerCausal", "sdpaCausal"), Set.of("CAUSAL_OFF_BY_ONE"),
                        Set.of("CAUSAL_OFF_BY_ONE", "NAN_OUTPUT")),
                mutant("causal rule shows the next token", List.of("NDArray lower = cols.lte(rows);",
                        "NDArray lower = cols.lte(rows.add(1));"),
                        List.of("eagerCausal", "sdpaCausal"), Set.of("CAUSAL_OFF_BY_ONE"), Set.of("CAUSAL_OFF_BY_ONE")),
                mutant("heads split without transpose", List.of(
                        "return x.reshape(batch, seqLen, numHeads, headDim).transpose(0, 2, 1, 3);",
                        "return x.reshape(batch, numHeads, seqLen, headDim);"),
                        EAGER_AND_SDPA, Set.of("HEADS_NOT_TRANSPOSED"), Set.of("HEADS_NOT_TRANSPOSED")),
                mutant("heads merged without transpose", List.of(
                        "return x.transpose(0, 2, 1, 3).reshape(batch, seqLen, (long) numHeads * headDim);",
                        "return x.reshape(batch, seqLen, (long) numHeads * headDim);"),
                        EAGER_AND_SDPA, Set.of("HEADS_MERGED_WRONG"), Set.of("HEADS_MERGED_WRONG")),
                mutant("softmax over queries", List.of("scores.softmax(-1)", "scores.softmax(-2)"),
                        EAGER, Set.of("SOFTMAX_WRONG_AXIS"), Set.of("SOFTMAX_WRONG_AXIS", "NAN_OUTPUT")),
                mutant("varlen as one sequence", List.of(
                        "NDArray out = Kernels.flashAttentionVarlen(qt, kt, vt, cuSeqlens, cuSeqlens, maxSeqlen, maxSeqlen, causal);",
                        "NDArray whole = q.getManager().create(new int[] {0, (int) tokens});\n"
                                + "        NDArray out = Kernels.flashAttentionVarlen(qt, kt, vt, whole, whole, (int) tokens, (int) tokens, causal);"),
                        List.of("flashBidirectional", "flashCausal"), Set.of("VARLEN_CROSSES_SEQUENCES"),
                        Set.of("VARLEN_CROSSES_SEQUENCES")),
                mutant("scores divided by zero", List.of("scores.div(Math.sqrt(headDim))", "scores.div(0.0)"),
                        EAGER, Set.of("NAN_OUTPUT"), Set.of("NAN_OUTPUT")),
                mutant("heads never merged", List.of(
                        "return x.transpose(0, 2, 1, 3).reshape(batch, seqLen, (long) numHeads * headDim);",
                        "return x;"),
                        EAGER_AND_SDPA, Set.of("SHAPE_MISMATCH"), Set.of("SHAPE_MISMATCH")),
                // Two mistakes at once.
                mutant("no scale + inverted mask", List.of(
                        "scores = scores.div(Math.sqrt(headDim));", "",
                        "allowed = mask.reshape(batch, 1, 1, seqLen);",
                        "allowed = mask.logicalNot().reshape(batch, 1, 1, seqLen);"),
                        EAGER_AND_SDPA, Set.of("SCALE_MISSING", "MASK_INVERTED"),
                        Set.of("SCALE_MISSING", "MASK_INVERTED", "NAN_OUTPUT")),
                mutant("heads not transposed + causal missing", List.of(
                        "return x.reshape(batch, seqLen, numHeads, headDim).transpose(0, 2, 1, 3);",
                        "return x.reshape(batch, numHeads, seqLen, headDim);",
                        "return eager(q, k, v, numHeads, headDim, mask, true);",
                        "return eager(q, k, v, numHeads, headDim, mask, false);"),
                        EAGER_AND_SDPA, Set.of("HEADS_NOT_TRANSPOSED", "CAUSAL_MISSING"),
                        Set.of("HEADS_NOT_TRANSPOSED", "CAUSAL_MISSING", "HEADS_MIXED")),
                mutant("scale by headDim + softmax over queries", List.of(
                        "scores.div(Math.sqrt(headDim))", "scores.div(headDim)",
                        "scores.softmax(-1)", "scores.softmax(-2)"),
                        EAGER, Set.of("SCALE_WRONG", "SOFTMAX_WRONG_AXIS"),
                        Set.of("SCALE_WRONG", "SOFTMAX_WRONG_AXIS", "NAN_OUTPUT")),
                mutant("merged wrong + next token visible", List.of(
                        "return x.transpose(0, 2, 1, 3).reshape(batch, seqLen, (long) numHeads * headDim);",
                        "return x.reshape(batch, seqLen, (long) numHeads * headDim);",
                        "NDArray lower = cols.lte(rows);", "NDArray lower = cols.lte(rows.add(1));"),
                        EAGER_AND_SDPA, Set.of("HEADS_MERGED_WRONG", "CAUSAL_OFF_BY_ONE"),
                        Set.of("HEADS_MERGED_WRONG", "CAUSAL_OFF_BY_ONE", "HEADS_MIXED")));
    }

    /** One mistake whose output may turn NaN, and two at once that only the probes can tell apart. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"padding mask inverted", "heads not transposed + causal missing"})
    void caughtTheSameWayThroughTheWholeChecker(String name) {
        Mutant mutant = mutants().filter(m -> m.toString().equals(name)).findFirst().orElseThrow();
        mutant.assertCaughtByChecker(dir);
    }
}
