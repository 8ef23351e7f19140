package dev.tinyvllm.steps.week1.rmsnormmlp;

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

/**
 * Each mistake students make with RMSNorm and the SwiGLU MLP is caught with its tag and no other. The two
 * classes are graded apart, so each run carries one mistake in each.
 */
class NormMlpMutantsTest extends MutantTable {

    private static final String STEP = "week1/rmsnorm-mlp";
    private static final String NORM = "src/main/java/week1/mlp/RMSNorm.java";
    private static final String MLP = "src/main/java/week1/mlp/Qwen2MLP.java";
    private static final String NORM_FN = "RMSNorm.forward";
    private static final String MLP_FN = "Qwen2MLP.forward";

    static Stream<Mutant> mutants() {
        return Stream.of(
                Mutant.of("eps outside the root + gate and up swapped", STEP)
                        .edit(NORM, "wide.div(meanSquare.add(eps).sqrt())", "wide.div(meanSquare.sqrt().add(eps))")
                        .edit(MLP, "linear(silu(gate).mul(up), wDown)", "linear(silu(up).mul(gate), wDown)")
                        .breaks(NORM_FN, "EPS_OUTSIDE_ROOT").breaks(MLP_FN, "GATE_UP_SWAPPED"),
                Mutant.of("no eps + SiLU on the product", STEP)
                        .edit(NORM, "wide.div(meanSquare.add(eps).sqrt())", "wide.div(meanSquare.sqrt())")
                        .edit(MLP, "linear(silu(gate).mul(up), wDown)", "linear(silu(gate.mul(up)), wDown)")
                        .breaks(NORM_FN, "EPS_MISSING").breaks(MLP_FN, "SILU_WRONG_BRANCH"),
                Mutant.of("mean over the first axis + no SiLU", STEP)
                        .edit(NORM, "mean(new int[] {-1}, true)", "mean(new int[] {0}, true)")
                        .edit(MLP, "linear(silu(gate).mul(up), wDown)", "linear(gate.mul(up), wDown)")
                        .breaks(NORM_FN, "NORM_WRONG_AXIS").breaks(MLP_FN, "SILU_MISSING"),
                Mutant.of("mean over everything + sigmoid for SiLU", STEP)
                        .edit(NORM, "wide.square().mean(new int[] {-1}, true)", "wide.square().mean()")
                        .edit(MLP, "return x.div(x.neg().exp().add(1));", "return x.neg().exp().add(1).pow(-1);")
                        .breaks(NORM_FN, "NORM_WRONG_AXIS").breaks(MLP_FN, "SILU_FORMULA_WRONG"),
                Mutant.of("weight not applied + SiLU after the down projection", STEP)
                        .edit(NORM, "normed.toType(type, false).mul(weight)", "normed.toType(type, false)")
                        .edit(MLP, "return linear(silu(gate).mul(up), wDown);", "return silu(linear(gate.mul(up), wDown));")
                        .breaks(NORM_FN, "NORM_WEIGHT_MISSING").breaks(MLP_FN, "SILU_WRONG_BRANCH"),
                Mutant.of("squares summed in half precision", STEP)
                        .edit(NORM, "NDArray wide = x.toType(DataType.FLOAT32, false);", "NDArray wide = x;")
                        .breaks(NORM_FN, "HALF_PRECISION_SUM"),
                Mutant.of("result left in float32", STEP)
                        .edit(NORM, "return normed.toType(type, false).mul(weight);",
                                "return normed.mul(weight.toType(DataType.FLOAT32, false));")
                        .breaks(NORM_FN, Set.of("DTYPE_CHANGED"), Set.of()));
    }

    /** NaN leaves the probe nothing to compare: it says so rather than passing. */
    @Test
    void aNormThatGivesNaNFailsTheTokenProbeWithNanOutput() {
        List<CheckResult> results = Mutant.of("root of a negative", STEP)
                .edit(NORM, "wide.div(meanSquare.add(eps).sqrt())", "wide.div(meanSquare.neg().sqrt())")
                .grade(dir);
        for (CheckResult c : results.stream().filter(r -> r.function().equals(NORM_FN)).toList()) {
            assertEquals(Outcome.FAIL, c.status(), TestWorkspace.dump(results));
            assertEquals(List.of("NAN_OUTPUT"), c.tags(), TestWorkspace.dump(results));
        }
    }
}
