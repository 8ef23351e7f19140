package dev.tinyvllm.steps.week1.gqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.check.probes.Probes;
import dev.tinyvllm.steps.week1.LayerViews;
import dev.tinyvllm.steps.week1.Qwen2Layer;
import dev.tinyvllm.steps.week1.rope.RopeMutation;
import dev.tinyvllm.steps.week1.rope.RopeOracle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Qwen2Attention.forward}: the student's layer, built with the constructor the model step
 * calls, against libtorch's kernels; a token must not move the outputs of the tokens before it. A
 * failing layer is explained by a known mistake, else by the student's own RoPE or grouped attention
 * differing on their own, else by what the probes of causality and independent heads see.
 */
final class LayerChecks {

    static final String FUTURE_PROBE = "future_tokens_ignored";

    private static final List<String> TOKEN_AXES = Arrays.asList("batch", "token", null);
    /** Two query heads over one key/value head: the smallest layer where heads and tokens can mix. */
    private static final Qwen2Layer.Config PROBE_LAYER = new Qwen2Layer.Config(16, 2, 1, 0, 10_000, 1e-6f);

    record LayerCase(String name, String description, int batch, int len, Qwen2Layer.Config config) {}

    static final List<LayerCase> CASES = List.of(
            new LayerCase("gqa", "hidden 32, 4 heads over 2 key/value heads, 5 tokens, theta 1e6", 2, 5,
                    new Qwen2Layer.Config(32, 4, 2, 0, 1_000_000, 1e-6f)),
            new LayerCase("mha", "hidden 16, 2 heads, 2 key/value heads, 4 tokens, theta 10000", 1, 4,
                    new Qwen2Layer.Config(16, 2, 2, 0, 10_000, 1e-6f)),
            new LayerCase("single_token", "one token, 4 heads over 1 key/value head", 2, 1,
                    new Qwen2Layer.Config(32, 4, 1, 0, 1_000_000, 1e-6f)));

    private LayerChecks() {}

    static CheckResult layerCheck(CheckContext ctx, LayerCase c) {
        Qwen2Layer layer = Qwen2Layer.random(c.config(), ctx.random());
        float[] x = Grading.gaussian(ctx.random(), c.batch() * c.len() * c.config().hidden(), 1);
        Shape shape = new Shape(c.batch(), c.len(), c.config().hidden());
        float[] expected = oracleLayer(ctx, layer, x, shape, EnumSet.noneOf(GqaMutation.class));
        float[] actual = studentLayer(ctx, layer, x, shape);
        return Grading.compare(ctx.check().spec(), actual, expected, Grading.dims(shape), ctx.tolerance(), TOKEN_AXES,
                () -> diagnose(ctx, layer, x, shape, actual, expected));
    }

    static CheckResult futureProbe(CheckContext ctx) {
        Optional<List<Tag>> tags = futureTags(ctx);
        if (tags.isEmpty()) {
            return ctx.pass("changing the last token moved the last output only");
        }
        return ctx.fail("changing only the last token moved outputs of earlier tokens"
                + (tags.get().contains(GqaTag.HEADS_MIXED) ? ", and changing the query weights of one head moved the "
                        + "output of another: numbers cross between heads and tokens before any mask can act" : ""),
                tags.get());
    }

    /**
     * Empty when only the last row moves; otherwise the tags that explain what moved. A leak is only
     * called a missing causal rule once the heads are seen to stay apart: a reshape that mixes tokens
     * and heads moves earlier rows too, and then the mask is not where to look.
     */
    private static Optional<List<Tag>> futureTags(CheckContext ctx) {
        Qwen2Layer layer = Qwen2Layer.random(PROBE_LAYER, ctx.random());
        int len = 5;
        int hidden = PROBE_LAYER.hidden();
        Shape shape = new Shape(1, len, hidden);
        float[] x = Grading.gaussian(ctx.random(), len * hidden, 1);
        float[] base = studentLayer(ctx, layer, x, shape);
        if (Comparison.hasNonFinite(base)) {
            return Optional.of(List.of(CommonTag.NAN_OUTPUT));
        }
        float[] changed = x.clone();
        for (int i = (len - 1) * hidden; i < len * hidden; i++) {
            changed[i] = (float) ctx.random().nextGaussian();
        }
        Probes.Causality seen = Probes.afterChangingLastTokens(
                Probes.movedRows(base, studentLayer(ctx, layer, changed, shape), hidden, ctx.tolerance()),
                new int[] {len});
        if (seen.holds()) {
            return Optional.empty();
        }
        if (!seen.farLeak() && !seen.nearLeak()) {
            return Optional.of(List.of());
        }
        return Optional.of(List.of(headsStayApart(ctx) ? GqaTag.CAUSAL_MISSING : GqaTag.HEADS_MIXED));
    }

    /**
     * With an identity output projection, each head's output is its own slice of the result: changing
     * the query weights of head 1 may move that slice and nothing else.
     */
    private static boolean headsStayApart(CheckContext ctx) {
        Qwen2Layer layer = Qwen2Layer.random(PROBE_LAYER, ctx.random()).withIdentityOutput();
        int hidden = PROBE_LAYER.hidden();
        Shape shape = new Shape(1, 4, hidden);
        float[] x = Grading.gaussian(ctx.random(), (int) shape.size(), 1);
        float[] base = studentLayer(ctx, layer, x, shape);
        float[] after = studentLayer(ctx, layer.withQueryHeadRedrawn(1, ctx.random()), x, shape);
        return !Probes.crossesHeads(base, after, ctx.tolerance(), hidden, PROBE_LAYER.headDim(), 1);
    }

    private static List<Tag> diagnose(CheckContext ctx, Qwen2Layer layer, float[] x, Shape shape, float[] actual,
            float[] expected) {
        List<GqaMutation> candidates = new ArrayList<>(List.of(GqaMutation.BIAS_MISSING, GqaMutation.ROPE_ON_V,
                GqaMutation.ROPE_MISSING, GqaMutation.ROPE_INTERLEAVED, GqaMutation.CAUSAL_MISSING,
                GqaMutation.MASK_INVERTED, GqaMutation.SCALE_MISSING));
        if (layer.config().grouped()) {
            candidates.add(GqaMutation.GROUPING_INTERLEAVED);
        }
        List<Tag> tags = Grading.agreedTags(actual, expected, ctx.tolerance(),
                Grading.variants(candidates, set -> oracleLayer(ctx, layer, x, shape, set)));
        if (!tags.isEmpty()) {
            return tags;
        }
        List<Tag> parts = diverging(ctx, layer.config());
        if (!parts.isEmpty()) {
            return parts;
        }
        return futureTags(ctx).orElse(List.of());
    }

    /** The student's own parts on inputs of this layer's sizes: which one already differs from the oracle. */
    private static List<Tag> diverging(CheckContext ctx, Qwen2Layer.Config config) {
        int dim = config.headDim();
        Shape shape = new Shape(1, 4, config.heads(), dim);
        float[] x = Grading.gaussian(ctx.random(), (int) shape.size(), 1);
        float[] expected = ctx.oracle(scratch -> RopeOracle.apply(scratch.create(x, shape), config.theta(), false, 0,
                EnumSet.noneOf(RopeMutation.class)));
        LayerViews.Rope rope = ctx.student(LayerViews.Rope.class).create(ctx.manager(), dim, Qwen2Layer.MAX_SEQ_LEN,
                config.theta(), false);
        float[] actual = Grading.values(rope.apply(ctx.manager().create(x, shape), 0), "RoPE.apply",
                Grading.dims(shape), DataType.FLOAT32);
        if (!Comparison.allClose(actual, expected, ctx.tolerance())) {
            return List.of(GqaTag.ROPE_DIVERGES);
        }
        GroupedChecks.AttentionCase c = new GroupedChecks.AttentionCase("part", "", 1, config.heads(),
                config.kvHeads(), 4, 4, dim, GroupedChecks.MaskKind.CAUSAL);
        float[][] qkv = GroupedChecks.qkv(ctx, c);
        float[] grouped = GroupedChecks.grouped(ctx, c, qkv);
        if (!Comparison.allClose(GroupedChecks.studentAttention(ctx, c, qkv, null), grouped, ctx.tolerance())) {
            return List.of(GqaTag.GROUPED_ATTENTION_DIVERGES);
        }
        return List.of();
    }

    private static float[] oracleLayer(CheckContext ctx, Qwen2Layer layer, float[] x, Shape shape,
            Set<GqaMutation> mutations) {
        return ctx.oracle(scratch -> GqaOracle.qwen2Attention(scratch.create(x, shape), layer.oracleAttention(scratch),
                mutations));
    }

    private static float[] studentLayer(CheckContext ctx, Qwen2Layer layer, float[] x, Shape shape) {
        NDArray out = layer.studentAttention(ctx).forward(ctx.manager().create(x, shape));
        return Grading.values(out, "Qwen2Attention.forward", Grading.dims(shape), DataType.FLOAT32);
    }
}
