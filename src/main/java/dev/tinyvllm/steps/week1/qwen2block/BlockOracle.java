package dev.tinyvllm.steps.week1.qwen2block;

import dev.tinyvllm.steps.week1.gqa.GqaMutation;
import dev.tinyvllm.steps.week1.gqa.GqaOracle;
import dev.tinyvllm.steps.week1.rmsnormmlp.NormMlpMutation;
import dev.tinyvllm.steps.week1.rmsnormmlp.NormMlpOracle;

import ai.djl.ndarray.NDArray;
import java.util.EnumSet;
import java.util.Set;

/**
 * Hidden reference Qwen2 decoder block, pre-norm with two residuals:
 * {@code h = x + attention(inputNorm(x))}, {@code out = h + mlp(postAttentionNorm(h))}. Its parts are
 * the libtorch-backed oracles of the earlier steps; the intermediate results are exposed so a grader
 * can feed each of the student's parts exactly the input it would get in a correct block.
 */
public final class BlockOracle {

    private BlockOracle() {}

    /** Everything a block holds: its two norms' weights, its attention and its MLP. */
    public record BlockWeights(NDArray inputNorm, NDArray postAttentionNorm, double eps,
            GqaOracle.AttentionWeights attention, NDArray wGate, NDArray wUp, NDArray wDown) {}

    /** The correct block's values at each stage, in the order data flows through it. */
    public record Stages(NDArray x, NDArray normed, NDArray attention, NDArray h, NDArray normedH, NDArray mlp,
            NDArray out) {}

    public static Stages stages(NDArray x, BlockWeights w) {
        Set<NormMlpMutation> none = EnumSet.noneOf(NormMlpMutation.class);
        NDArray normed = NormMlpOracle.rmsNorm(x, w.inputNorm(), w.eps(), none);
        NDArray attention = GqaOracle.qwen2Attention(normed, w.attention(), EnumSet.noneOf(GqaMutation.class));
        NDArray h = x.add(attention);
        NDArray normedH = NormMlpOracle.rmsNorm(h, w.postAttentionNorm(), w.eps(), none);
        NDArray mlp = NormMlpOracle.mlp(normedH, w.wGate(), w.wUp(), w.wDown(), none);
        return new Stages(x, normed, attention, h, normedH, mlp, h.add(mlp));
    }

    /** The block with the given wiring mistakes (none: {@code stages(x, w).out()}). */
    public static NDArray block(NDArray x, BlockWeights w, Set<BlockMutation> mutations) {
        Set<NormMlpMutation> none = EnumSet.noneOf(NormMlpMutation.class);
        boolean swapped = mutations.contains(BlockMutation.NORMS_SWAPPED);
        NDArray first = swapped ? w.postAttentionNorm() : w.inputNorm();
        NDArray second = swapped ? w.inputNorm() : w.postAttentionNorm();
        if (mutations.contains(BlockMutation.POST_NORM)) {
            NDArray h = NormMlpOracle.rmsNorm(
                    residual(x, attention(x, w), mutations.contains(BlockMutation.ATTENTION_RESIDUAL_MISSING)),
                    first, w.eps(), none);
            return NormMlpOracle.rmsNorm(
                    residual(h, mlp(h, w), mutations.contains(BlockMutation.MLP_RESIDUAL_MISSING)),
                    second, w.eps(), none);
        }
        NDArray normed = NormMlpOracle.rmsNorm(x, first, w.eps(), none);
        boolean fromNormed = mutations.contains(BlockMutation.RESIDUAL_FROM_NORMED);
        NDArray h = residual(fromNormed ? normed : x, attention(normed, w),
                mutations.contains(BlockMutation.ATTENTION_RESIDUAL_MISSING));
        NDArray normedH = NormMlpOracle.rmsNorm(h, second, w.eps(), none);
        return residual(fromNormed ? normedH : h, mlp(normedH, w), mutations.contains(BlockMutation.MLP_RESIDUAL_MISSING));
    }

    private static NDArray residual(NDArray stream, NDArray update, boolean missing) {
        return missing ? update : stream.add(update);
    }

    private static NDArray attention(NDArray x, BlockWeights w) {
        return GqaOracle.qwen2Attention(x, w.attention(), EnumSet.noneOf(GqaMutation.class));
    }

    private static NDArray mlp(NDArray x, BlockWeights w) {
        return NormMlpOracle.mlp(x, w.wGate(), w.wUp(), w.wDown(), EnumSet.noneOf(NormMlpMutation.class));
    }
}
