package dev.tinyvllm.oracle;

import dev.tinyvllm.steps.week1.rmsnormmlp.NormMlpMutation;
import dev.tinyvllm.steps.week1.rmsnormmlp.NormMlpOracle;
import dev.tinyvllm.steps.week1.rope.RopeMutation;
import dev.tinyvllm.steps.week1.rope.RopeOracle;
import dev.tinyvllm.steps.week1.sampling.SamplingMutation;
import dev.tinyvllm.steps.week1.sampling.SamplingOracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.curriculum.Tolerance;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The oracles of the week-1 layer steps agree with independent computations (plain Java arithmetic,
 * DJL compositions written out here) on real libtorch, and every mutation changes the result.
 */
class LayerOraclesTest {

    private static final Tolerance TIGHT = new Tolerance(1e-5, 1e-6);
    private static NDManager manager;
    private final Random random = new Random(11);

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private float[] gaussian(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private NDArray randn(long... shape) {
        return manager.create(gaussian((int) new Shape(shape).size()), new Shape(shape));
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    // ---------------------------------------------------------------- RoPE

    @Test
    void ropeOnLibtorchMatchesTheFormulaInPlainArithmeticInBothLayouts() {
        float[] x = gaussian(2 * 5 * 3 * 8);
        NDArray input = manager.create(x, new Shape(2, 5, 3, 8));
        for (boolean traditional : new boolean[] {true, false}) {
            float[] oracle = RopeOracle.apply(input, 10_000, traditional, 4, Set.of()).toFloatArray();
            float[] byHand = floats(RopeOracle.byHand(x, 2, 5, 3, 8, 10_000, traditional, 4));
            assertTrue(Comparison.allClose(oracle, byHand, TIGHT), "traditional=" + traditional);
        }
    }

    @Test
    void ropeByHandTurnsTheFirstPairByOneRadianPerPosition() {
        // One head [1, 0, 0, 0] at position 1, half-split: pair 0 is features 0 and 2, angle 1.
        double[] out = RopeOracle.byHand(new float[] {1, 0, 0, 0}, 1, 1, 1, 4, 100, false, 1);
        assertArrayEquals(new double[] {Math.cos(1), 0, Math.sin(1), 0}, out, 1e-12);
        // Interleaved: pair 0 is features 0 and 1.
        out = RopeOracle.byHand(new float[] {1, 0, 0, 0}, 1, 1, 1, 4, 100, true, 1);
        assertArrayEquals(new double[] {Math.cos(1), Math.sin(1), 0, 0}, out, 1e-12);
    }

    @Test
    void everyRopeMutationChangesTheResult() {
        NDArray x = randn(1, 4, 2, 8);
        float[] truth = RopeOracle.apply(x, 1_000_000, false, 3, Set.of()).toFloatArray();
        for (RopeMutation m : RopeMutation.values()) {
            float[] mutant = RopeOracle.apply(x, 1_000_000, false, 3, EnumSet.of(m)).toFloatArray();
            assertFalse(Comparison.allClose(mutant, truth, TIGHT), m + " must differ from the truth");
        }
    }

    // ---------------------------------------------------------------- RMSNorm and MLP

    @Test
    void rmsNormOnLibtorchMatchesTheFormulaAndItsEagerComposition() {
        NDArray x = randn(3, 8);
        NDArray w = randn(8);
        float[] kernel = NormMlpOracle.rmsNorm(x, w, 1e-3, Set.of()).toFloatArray();
        float[] formula = x.div(x.square().mean(new int[] {-1}, true).add(1e-3f).sqrt()).mul(w).toFloatArray();
        assertTrue(Comparison.allClose(kernel, formula, TIGHT));
        // A mutation of the MLP leaves the norm alone, through the eager path.
        float[] eager = NormMlpOracle.rmsNorm(x, w, 1e-3, EnumSet.of(NormMlpMutation.GATE_UP_SWAPPED)).toFloatArray();
        assertTrue(Comparison.allClose(eager, kernel, TIGHT));
    }

    @Test
    void libtorchsRmsNormSumsHalfPrecisionInputsInFloat32() {
        NDArray x = randn(2, 16).mul(1000).toType(DataType.FLOAT16, false);
        NDArray w = manager.ones(new Shape(16), DataType.FLOAT16);
        NDArray out = NormMlpOracle.rmsNorm(x, w, 1e-6, Set.of());
        assertEquals(DataType.FLOAT16, out.getDataType());
        float[] values = out.toType(DataType.FLOAT32, false).toFloatArray();
        assertFalse(Comparison.hasNonFinite(values));
        // Normalised: the mean square of each row is 1, not 0 as an overflowed float16 sum would give.
        double squares = 0;
        for (int i = 0; i < 16; i++) {
            squares += values[i] * values[i];
        }
        assertEquals(1.0, squares / 16, 0.01);
        float[] half = NormMlpOracle.rmsNorm(x, w, 1e-6, EnumSet.of(NormMlpMutation.HALF_PRECISION_SUM))
                .toType(DataType.FLOAT32, false).toFloatArray();
        assertArrayEquals(new float[32], half, 0f, "squares of 1000 overflow float16: everything divides by infinity");
    }

    @Test
    void theMlpOnLibtorchMatchesSwiGluWrittenOut() {
        NDArray x = randn(2, 3, 8);
        NDArray gate = randn(20, 8);
        NDArray up = randn(20, 8);
        NDArray down = randn(8, 20);
        float[] kernel = NormMlpOracle.mlp(x, gate, up, down, Set.of()).toFloatArray();
        NDArray g = x.matMul(gate.transpose());
        NDArray silu = g.div(g.neg().exp().add(1));
        float[] written = silu.mul(x.matMul(up.transpose())).matMul(down.transpose()).toFloatArray();
        assertTrue(Comparison.allClose(kernel, written, new Tolerance(1e-4, 1e-5)));
    }

    @Test
    void everyNormAndMlpMutationChangesTheResult() {
        NDArray x = randn(3, 8).mul(0.01f);
        NDArray w = randn(8);
        float[] norm = NormMlpOracle.rmsNorm(x, w, 1e-3, Set.of()).toFloatArray();
        NDArray gate = randn(12, 8);
        NDArray up = randn(12, 8);
        NDArray down = randn(8, 12);
        NDArray big = randn(3, 8);
        float[] mlp = NormMlpOracle.mlp(big, gate, up, down, Set.of()).toFloatArray();
        for (NormMlpMutation m : NormMlpMutation.values()) {
            if (m == NormMlpMutation.HALF_PRECISION_SUM) {
                continue; // float32 input: nothing to overflow, covered by the float16 test above
            }
            float[] mutant = m.ofNorm() ? NormMlpOracle.rmsNorm(x, w, 1e-3, EnumSet.of(m)).toFloatArray()
                    : NormMlpOracle.mlp(big, gate, up, down, EnumSet.of(m)).toFloatArray();
            assertFalse(Comparison.allClose(mutant, m.ofNorm() ? norm : mlp, TIGHT), m + " must differ from the truth");
        }
    }

    // ---------------------------------------------------------------- sampling

    private static float[] logs(double... p) {
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            logits[i] = (float) Math.log(p[i]);
        }
        return logits;
    }

    @Test
    void samplingFollowsTheContractOnCraftedDistributions() {
        Set<SamplingMutation> none = EnumSet.noneOf(SamplingMutation.class);
        // Top-p 0.75 over 0.05, 0.5, 0.1, 0.3, 0.05 keeps tokens 1 and 3 (0.5 + 0.3 crosses 0.75).
        assertArrayEquals(new float[] {0, 0.625f, 0, 0.375f, 0},
                SamplingOracle.probabilities(manager, logs(0.05, 0.5, 0.1, 0.3, 0.05), 1, 0, 0.75, none), 1e-6f);
        // Dropping the crossing token keeps token 1 alone.
        assertArrayEquals(new float[] {0, 1, 0, 0, 0}, SamplingOracle.probabilities(manager,
                logs(0.05, 0.5, 0.1, 0.3, 0.05), 1, 0, 0.75, EnumSet.of(SamplingMutation.TOP_P_CROSSING_TOKEN_DROPPED)), 1e-6f);
        // Top-k 3 with a tie at the boundary keeps four tokens.
        float[] topK = SamplingOracle.probabilities(manager, new float[] {2, 1, 3, 1, 0.5f}, 1, 3, 1, none);
        assertEquals(4, countPositive(topK));
        assertEquals(0f, topK[4]);
        assertEquals(3, countPositive(SamplingOracle.probabilities(manager, new float[] {2, 1, 3, 1, 0.5f}, 1, 3, 1,
                EnumSet.of(SamplingMutation.TOP_K_TIES_DROPPED))));
        // Greedy picks the first of two tied largest logits.
        assertArrayEquals(new float[] {0, 1, 0, 0}, SamplingOracle.probabilities(manager, new float[] {1, 3, 0, 3}, 0, 0, 1,
                none), 0f);
        // Temperature 1, no filters: the softmax.
        float[] plain = SamplingOracle.probabilities(manager, new float[] {0, (float) Math.log(3)}, 1, 0, 1, none);
        assertArrayEquals(new float[] {0.25f, 0.75f}, plain, 1e-6f);
    }

    private static int countPositive(float[] values) {
        int n = 0;
        for (float v : values) {
            n += v > 0 ? 1 : 0;
        }
        return n;
    }
}
