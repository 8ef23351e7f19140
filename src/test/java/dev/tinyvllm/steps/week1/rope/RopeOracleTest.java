package dev.tinyvllm.steps.week1.rope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * The RoPE oracle on real libtorch agrees with the formula in plain double arithmetic in both layouts,
 * and every mutation changes its result.
 */
class RopeOracleTest {

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

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

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
        NDArray x = manager.create(gaussian(1 * 4 * 2 * 8), new Shape(1, 4, 2, 8));
        float[] truth = RopeOracle.apply(x, 1_000_000, false, 3, Set.of()).toFloatArray();
        for (RopeMutation m : RopeMutation.values()) {
            float[] mutant = RopeOracle.apply(x, 1_000_000, false, 3, EnumSet.of(m)).toFloatArray();
            assertFalse(Comparison.allClose(mutant, truth, TIGHT), m + " must differ from the truth");
        }
    }
}
