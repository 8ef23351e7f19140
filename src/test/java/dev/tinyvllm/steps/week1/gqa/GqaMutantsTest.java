package dev.tinyvllm.steps.week1.gqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.testing.Mutant;
import dev.tinyvllm.testing.MutantTable;
import dev.tinyvllm.testing.TestWorkspace;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each mistake students make with grouped attention and Qwen2's attention layer is caught with its tag and no other. */
class GqaMutantsTest extends MutantTable {

    private static final String STEP = "week1/gqa";
    private static final String GROUPED = "src/main/java/week1/gqa/GroupedAttention.java";
    private static final String LAYER = "src/main/java/week1/gqa/Qwen2Attention.java";
    private static final String ROPE = "src/main/java/week1/rope/RoPE.java";
    private static final String MASK = "GroupedAttention.causalMask";
    private static final String ATTENTION = "GroupedAttention.attention";
    private static final String FORWARD = "Qwen2Attention.forward";

    static Stream<Mutant> mutants() {
        return Stream.of(
                Mutant.of("query heads interleaved over the key/value heads", STEP)
                        .edit(GROUPED, "q.reshape(batch, kvHeads, group, queryLen, dim)",
                                "q.reshape(batch, group, kvHeads, queryLen, dim)",
                                "k.reshape(batch, kvHeads, 1, keyLen, dim)", "k.reshape(batch, 1, kvHeads, keyLen, dim)",
                                "v.reshape(batch, kvHeads, 1, keyLen, dim)", "v.reshape(batch, 1, kvHeads, keyLen, dim)")
                        .breaks(ATTENTION, "GROUPING_WRONG").breaks(FORWARD, "GROUPING_WRONG"),
                Mutant.of("causal mask aligned top-left", STEP)
                        .edit(GROUPED, "cols.lte(rows.add(keyLen - queryLen))", "cols.lte(rows)")
                        .breaks(MASK, "CAUSAL_TOP_LEFT").breaks(ATTENTION, "CAUSAL_TOP_LEFT"),
                Mutant.of("causal mask hides the diagonal", STEP)
                        .edit(GROUPED, "cols.lte(rows.add(keyLen - queryLen))", "cols.lt(rows.add(keyLen - queryLen))")
                        .breaks(MASK, "CAUSAL_OFF_BY_ONE")
                        .breaks(ATTENTION, Set.of("CAUSAL_OFF_BY_ONE"), Set.of("NAN_OUTPUT"))
                        .breaks(FORWARD, Set.of("NAN_OUTPUT"), Set.of()),
                Mutant.of("causal mask with true for blocked keys, mask-free attention otherwise right", STEP)
                        .edit(GROUPED, "cols.lte(rows.add(keyLen - queryLen))", "cols.gt(rows.add(keyLen - queryLen))")
                        .breaks(MASK, "MASK_INVERTED")
                        .breaks(ATTENTION, Set.of("MASK_INVERTED"), Set.of("NAN_OUTPUT"))
                        .breaks(FORWARD, Set.of("NAN_OUTPUT"), Set.of("MASK_INVERTED")),
                Mutant.of("attention reads true as blocked", STEP)
                        .edit(GROUPED, "NDArrays.where(allowed, scores, blocked)", "NDArrays.where(allowed, blocked, scores)")
                        .breaks(ATTENTION, Set.of("MASK_INVERTED"), Set.of("NAN_OUTPUT"))
                        // A single token sees nothing at all: NaN throughout matches no mutant, but the
                        // student's grouped attention, run on its own, is found to differ.
                        .breaks(FORWARD, Set.of("MASK_INVERTED"), Set.of("NAN_OUTPUT", "GROUPED_ATTENTION_DIVERGES")),
                Mutant.of("attention ignores the mask", STEP)
                        .edit(GROUPED, "if (mask != null) {", "if (mask != null && false) {")
                        .breaks(ATTENTION, "MASK_IGNORED").breaks(FORWARD, "CAUSAL_MISSING"),
                Mutant.of("scores not scaled", STEP)
                        .edit(GROUPED, "qg.matMul(kg.swapAxes(-1, -2)).div(Math.sqrt(dim))", "qg.matMul(kg.swapAxes(-1, -2))")
                        .breaks(ATTENTION, "SCALE_MISSING").breaks(FORWARD, "SCALE_MISSING"),
                Mutant.of("projections without their biases", STEP)
                        .edit(LAYER, "linear(x, wq, bq)", "linear(x, wq, null)", "linear(x, wk, bk)", "linear(x, wk, null)",
                                "linear(x, wv, bv)", "linear(x, wv, null)")
                        .breaks(FORWARD, "BIAS_MISSING"),
                Mutant.of("values rotated too", STEP)
                        .edit(LAYER, "v = v.transpose(0, 2, 1, 3);", "v = rope.apply(v, 0).transpose(0, 2, 1, 3);")
                        .breaks(FORWARD, "ROPE_ON_V"),
                Mutant.of("interleaved RoPE in the layer", STEP)
                        .edit(LAYER, "headDim, maxSeqLen, ropeTheta, false)", "headDim, maxSeqLen, ropeTheta, true)")
                        .breaks(FORWARD, "PAIRING_WRONG"),
                Mutant.of("no RoPE in the layer", STEP)
                        .edit(LAYER, "q = rope.apply(q, 0).transpose(0, 2, 1, 3);", "q = q.transpose(0, 2, 1, 3);",
                                "k = rope.apply(k, 0).transpose(0, 2, 1, 3);", "k = k.transpose(0, 2, 1, 3);")
                        .breaks(FORWARD, "ROPE_MISSING"),
                Mutant.of("heads merged without moving the head axis back", STEP)
                        .edit(LAYER, "context.transpose(0, 2, 1, 3).reshape(batch, len, (long) numHeads * headDim)",
                                "context.reshape(batch, len, (long) numHeads * headDim)")
                        .breaks(FORWARD, "HEADS_MIXED"),
                Mutant.of("layer without the causal mask", STEP)
                        .edit(LAYER, "GroupedAttention.attention(q, k, v, mask)", "GroupedAttention.attention(q, k, v, null)")
                        .breaks(FORWARD, "CAUSAL_MISSING"),
                Mutant.of("the student's RoPE from week1/rope has wrong frequencies", STEP)
                        .edit(ROPE, "Math.pow(base, -2.0 * i / headDim)", "Math.pow(base, -1.0 * i / headDim)")
                        .breaks(FORWARD, "ROPE_DIVERGES"));
    }

    /** A probe cannot read what moves in an output that is NaN throughout: it fails, and says so, instead of passing. */
    @Test
    void theHeadProbeFailsOnAnAttentionThatReturnsNaN() {
        List<CheckResult> results = Mutant.of("scores times NaN", STEP)
                .edit(GROUPED, "qg.matMul(kg.swapAxes(-1, -2)).div(Math.sqrt(dim))",
                        "qg.matMul(kg.swapAxes(-1, -2)).mul(Float.NaN)")
                .grade(dir);
        CheckResult probe = results.stream().filter(r -> r.id().equals("attention.kv_head_sharing")).findFirst()
                .orElseThrow();
        assertEquals(Outcome.FAIL, probe.status(), TestWorkspace.dump(results));
        assertEquals(List.of("NAN_OUTPUT"), probe.tags());
    }
}
