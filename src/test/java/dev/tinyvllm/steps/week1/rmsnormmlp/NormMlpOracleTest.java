package dev.tinyvllm.steps.week1.rmsnormmlp;

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
 * The RMSNorm and SwiGLU oracles on real libtorch agree with the formulas written out with DJL here,
 * half-precision inputs are summed in float32, and every mutation changes the result.
 */
class NormMlpOracleTest {

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

    private NDArray randn(long... shape) {
        float[] values = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, new Shape(shape));
    }

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
}
