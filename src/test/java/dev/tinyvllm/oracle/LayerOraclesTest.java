package dev.tinyvllm.oracle;

import dev.tinyvllm.steps.week1.gqa.GqaMutation;
import dev.tinyvllm.steps.week1.gqa.GqaOracle;
import dev.tinyvllm.steps.week1.qwen2block.BlockMutation;
import dev.tinyvllm.steps.week1.qwen2block.BlockOracle;
import dev.tinyvllm.steps.week1.rope.RopeOracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.oracle.LayerKernels;
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

    @Test
    void theCausalMaskIsAlignedToTheBottomRight() {
        boolean t = true;
        boolean f = false;
        assertArrayEquals(new boolean[] {t, t, t, f, f, t, t, t, t, f, t, t, t, t, t},
                GqaOracle.causalMask(manager, 3, 5).toBooleanArray());
        assertArrayEquals(new boolean[] {t, f, f, f, f, t, t, f, f, f, t, t, t, f, f},
                GqaOracle.causalPattern(3, 5, 3 - 5), "the top-left variant of PyTorch's is_causal");
    }

    @Test
    void libtorchsGroupedKernelMatchesTheEagerCompositionWithAndWithoutMasks() {
        NDArray q = randn(2, 6, 3, 5);
        NDArray k = randn(2, 2, 7, 5);
        NDArray v = randn(2, 2, 7, 5);
        Set<GqaMutation> none = EnumSet.noneOf(GqaMutation.class);
        assertTrue(Comparison.allClose(GqaOracle.grouped(q, k, v, null).toFloatArray(),
                GqaOracle.groupedEager(q, k, v, null, none).toFloatArray(), TIGHT));
        NDArray causal = GqaOracle.causalMask(manager, 3, 7);
        assertTrue(Comparison.allClose(GqaOracle.grouped(q, k, v, causal).toFloatArray(),
                GqaOracle.groupedEager(q, k, v, causal, none).toFloatArray(), TIGHT));
        NDArray padding = manager.create(new boolean[] {true, true, false, false, false, false, false,
            true, true, true, true, true, true, true}, new Shape(2, 1, 1, 7));
        assertTrue(Comparison.allClose(GqaOracle.grouped(q, k, v, padding).toFloatArray(),
                GqaOracle.groupedEager(q, k, v, padding, none).toFloatArray(), TIGHT));
    }

    @Test
    void groupedAttentionEqualsAttentionWithEachKeyValueHeadRepeated() {
        NDArray q = randn(1, 4, 3, 4);
        NDArray k = randn(1, 2, 3, 4);
        NDArray v = randn(1, 2, 3, 4);
        // Heads 0 and 1 read key/value head 0, heads 2 and 3 head 1.
        NDArray index = manager.create(new long[] {0, 0, 1, 1});
        NDArray kRepeated = k.get(new ai.djl.ndarray.index.NDIndex(":, {}", index));
        NDArray vRepeated = v.get(new ai.djl.ndarray.index.NDIndex(":, {}", index));
        float[] plain = GqaOracle.grouped(q, kRepeated, vRepeated, null).toFloatArray();
        assertTrue(Comparison.allClose(GqaOracle.grouped(q, k, v, null).toFloatArray(), plain, TIGHT));
    }

    @Test
    void topLeftCausalIsWhatPyTorchsIsCausalFlagDoes() {
        NDArray q = randn(1, 2, 3, 4);
        NDArray k = randn(1, 1, 5, 4);
        NDArray v = randn(1, 1, 5, 4);
        NDArray topLeft = manager.create(GqaOracle.causalPattern(3, 5, 3 - 5), new Shape(3, 5));
        assertTrue(Comparison.allClose(LayerKernels.groupedAttentionTopLeftCausal(q, k, v).toFloatArray(),
                GqaOracle.grouped(q, k, v, topLeft).toFloatArray(), TIGHT));
        assertFalse(Comparison.allClose(GqaOracle.grouped(q, k, v, GqaOracle.causalMask(manager, 3, 5)).toFloatArray(),
                GqaOracle.grouped(q, k, v, topLeft).toFloatArray(), TIGHT));
    }

    private GqaOracle.AttentionWeights attentionWeights(int hidden, int heads, int kvHeads, double theta) {
        int dim = hidden / heads;
        return new GqaOracle.AttentionWeights(heads, kvHeads, randn(heads * dim, hidden), randn(heads * dim),
                randn(kvHeads * dim, hidden), randn(kvHeads * dim), randn(kvHeads * dim, hidden), randn(kvHeads * dim),
                randn(hidden, heads * dim), theta);
    }

    @Test
    void theQwen2AttentionLayerMatchesItsStepsWrittenOut() {
        GqaOracle.AttentionWeights w = attentionWeights(16, 4, 2, 10_000);
        NDArray x = randn(2, 5, 16);
        float[] layer = GqaOracle.qwen2Attention(x, w, EnumSet.noneOf(GqaMutation.class)).toFloatArray();
        NDArray q = x.matMul(w.wq().transpose()).add(w.bq()).reshape(2, 5, 4, 4);
        NDArray k = x.matMul(w.wk().transpose()).add(w.bk()).reshape(2, 5, 2, 4);
        NDArray v = x.matMul(w.wv().transpose()).add(w.bv()).reshape(2, 5, 2, 4);
        q = RopeOracle.apply(q, 10_000, false, 0, Set.of()).transpose(0, 2, 1, 3);
        k = RopeOracle.apply(k, 10_000, false, 0, Set.of()).transpose(0, 2, 1, 3);
        NDArray context = GqaOracle.groupedEager(q, k, v.transpose(0, 2, 1, 3), GqaOracle.causalMask(manager, 5, 5),
                EnumSet.noneOf(GqaMutation.class));
        float[] written = context.transpose(0, 2, 1, 3).reshape(2, 5, 16).matMul(w.wo().transpose()).toFloatArray();
        assertTrue(Comparison.allClose(layer, written, new Tolerance(1e-4, 1e-5)));
    }

    @Test
    void everyLayerMutationChangesTheResult() {
        GqaOracle.AttentionWeights w = attentionWeights(16, 4, 2, 10_000);
        NDArray x = randn(1, 4, 16);
        float[] truth = GqaOracle.qwen2Attention(x, w, EnumSet.noneOf(GqaMutation.class)).toFloatArray();
        for (GqaMutation m : GqaMutation.values()) {
            if (m == GqaMutation.MASK_IGNORED) {
                continue; // the layer's only mask is the causal one: CAUSAL_MISSING is that mistake there
            }
            float[] mutant = GqaOracle.qwen2Attention(x, w, EnumSet.of(m)).toFloatArray();
            assertFalse(Comparison.allClose(mutant, truth, TIGHT), m + " must differ from the truth");
        }
    }

    // ---------------------------------------------------------------- block

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
