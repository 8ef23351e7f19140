package dev.tinyvllm.steps.week1.qwen2block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.steps.week1.gqa.GqaOracle;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The block oracle is pre-norm with two residuals, and every known wiring mistake changes its result. */
class BlockOracleTest {

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

    private GqaOracle.AttentionWeights attentionWeights(int hidden, int heads, int kvHeads, double theta) {
        int dim = hidden / heads;
        return new GqaOracle.AttentionWeights(heads, kvHeads, randn(heads * dim, hidden), randn(heads * dim),
                randn(kvHeads * dim, hidden), randn(kvHeads * dim), randn(kvHeads * dim, hidden), randn(kvHeads * dim),
                randn(hidden, heads * dim), theta);
    }

    @Test
    void theBlockIsPreNormWithTwoResidualsAndEveryWiringMistakeDiffers() {
        BlockOracle.BlockWeights w = new BlockOracle.BlockWeights(randn(16).add(1), randn(16).add(1), 1e-6,
                attentionWeights(16, 4, 2, 10_000), randn(24, 16), randn(24, 16), randn(16, 24));
        NDArray x = randn(1, 4, 16);
        BlockOracle.Stages stages = BlockOracle.stages(x, w);
        float[] truth = BlockOracle.block(x, w, EnumSet.noneOf(BlockMutation.class)).toFloatArray();
        assertArrayEquals(stages.out().toFloatArray(), truth, 0f);
        assertTrue(Comparison.allClose(stages.h().toFloatArray(), x.add(stages.attention()).toFloatArray(), TIGHT));
        for (BlockMutation m : BlockMutation.values()) {
            assertFalse(Comparison.allClose(BlockOracle.block(x, w, EnumSet.of(m)).toFloatArray(), truth, TIGHT),
                    m + " must differ from the truth");
        }
    }
}
