package dev.tinyvllm.steps.week1.qwen2block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.StudentFailure;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.check.probes.Probes;
import dev.tinyvllm.steps.week1.LayerViews;
import dev.tinyvllm.steps.week1.Qwen2Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * week1/qwen2-block: the student's block, built from the student's own RMSNorm, Qwen2Attention and
 * Qwen2MLP, against the oracle block on libtorch's kernels. A failing check says where the block first
 * leaves the reference: each of the student's parts is run on exactly the input it would get in a
 * correct block (norm, attention, norm, MLP, in the order data flows); when every part agrees, the
 * wiring (residuals, where the norms sit) is compared with known-wrong wirings.
 */
public final class BlockChecks implements StepChecks {

    private static final String FN = "Qwen2Block.forward";
    private static final List<String> AXES = Arrays.asList("batch", "token", null);

    private record Case(String name, String description, int batch, int len, Qwen2Layer.Config config) {}

    private static final List<Case> CASES = List.of(
            new Case("gqa", "hidden 32, 4 heads over 2 key/value heads, intermediate 48, 5 tokens", 2, 5,
                    new Qwen2Layer.Config(32, 4, 2, 48, 1_000_000, 1e-6f)),
            new Case("mha", "hidden 24, 3 heads, 3 key/value heads, intermediate 40, 6 tokens, eps 1e-5", 1, 6,
                    new Qwen2Layer.Config(24, 3, 3, 40, 10_000, 1e-5f)),
            new Case("single_token", "one token, 4 heads over 1 key/value head, intermediate 64", 2, 1,
                    new Qwen2Layer.Config(32, 4, 1, 64, 1_000_000, 1e-6f)));

    /** The student's parts, in the order data flows, with the step each comes from. */
    private enum Part {
        INPUT_NORM(BlockTag.NORM_DIVERGES, "RMSNorm (week1/rmsnorm-mlp), as the input norm"),
        ATTENTION(BlockTag.ATTENTION_DIVERGES, "Qwen2Attention (week1/gqa)"),
        POST_ATTENTION_NORM(BlockTag.NORM_DIVERGES, "RMSNorm (week1/rmsnorm-mlp), as the post-attention norm"),
        MLP(BlockTag.MLP_DIVERGES, "Qwen2MLP (week1/rmsnorm-mlp)");

        private final BlockTag tag;
        private final String what;

        Part(BlockTag tag, String what) {
            this.tag = tag;
            this.what = what;
        }
    }

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (Case c : CASES) {
            checks.add(Check.of("qwen2_block." + c.name(), FN, c.description(), ctx -> valueCheck(ctx, c)));
        }
        checks.add(Check.of("qwen2_block.future_tokens_ignored", FN, "changing the last token moves no earlier output",
                BlockChecks::futureProbe));
        return checks;
    }

    @Override
    public Class<? extends Tag> tags() {
        return BlockTag.class;
    }

    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.of(CommonTag.NAN_OUTPUT, CommonTag.SHAPE_MISMATCH, CommonTag.DTYPE_CHANGED);
    }

    @Override
    public void warmUp(NDManager manager) {
        Qwen2Layer.warmUpKernels(manager);
    }

    private static CheckResult valueCheck(CheckContext ctx, Case c) {
        Qwen2Layer layer = Qwen2Layer.random(c.config(), ctx.random());
        Shape shape = new Shape(c.batch(), c.len(), c.config().hidden());
        float[] x = Grading.gaussian(ctx.random(), (int) shape.size(), 1);
        float[] expected = ctx.oracle(scratch -> BlockOracle.stages(scratch.create(x, shape), layer.oracleBlock(scratch))
                .out());
        float[] actual = student(ctx, layer, x, shape);
        AtomicReference<Part> diverging = new AtomicReference<>();
        CheckResult result = Grading.compare(ctx.check().spec(), actual, expected, Grading.dims(shape),
                ctx.tolerance(), AXES, () -> {
                    diverging.set(firstDivergingPart(ctx, layer, x, shape));
                    if (diverging.get() != null) {
                        return List.of(diverging.get().tag);
                    }
                    return Grading.agreedTags(actual, expected, ctx.tolerance(), Grading.variants(
                            List.of(BlockMutation.values()), set -> ctx.oracle(scratch -> BlockOracle.block(
                                    scratch.create(x, shape), layer.oracleBlock(scratch), set))));
                });
        if (result.status() == Outcome.FAIL && diverging.get() != null) {
            return result.withTags(result.tags(), result.message() + "; the first part to differ is your "
                    + diverging.get().what + ", given exactly the input it gets in a correct block");
        }
        if (result.status() == Outcome.FAIL && result.tags().isEmpty()) {
            return result.withTags(result.tags(), result.message() + "; each of your parts agrees with libtorch "
                    + "on its own, so the difference lies in how the block connects them");
        }
        return result;
    }

    private static CheckResult futureProbe(CheckContext ctx) {
        Qwen2Layer layer = Qwen2Layer.random(new Qwen2Layer.Config(16, 2, 1, 24, 10_000, 1e-6f), ctx.random());
        int len = 5;
        int hidden = layer.config().hidden();
        Shape shape = new Shape(1, len, hidden);
        float[] x = Grading.gaussian(ctx.random(), len * hidden, 1);
        float[] base = student(ctx, layer, x, shape);
        if (Comparison.hasNonFinite(base)) {
            return Grading.nonFinite(ctx, FN);
        }
        float[] changed = x.clone();
        for (int i = (len - 1) * hidden; i < len * hidden; i++) {
            changed[i] = (float) ctx.random().nextGaussian();
        }
        boolean[] moved = Probes.movedRows(base, student(ctx, layer, changed, shape), hidden, ctx.tolerance());
        Probes.Causality seen = Probes.afterChangingLastTokens(moved, new int[] {len});
        if (!seen.farLeak() && !seen.nearLeak()) {
            return ctx.pass("changing the last token moved no earlier output");
        }
        int token = 0;
        while (!moved[token]) {
            token++;
        }
        String message = "changing only the last token moved the output of token " + token;
        return attentionLeaks(ctx, layer, x, changed, shape)
                ? ctx.fail(message + ", and so does your Qwen2Attention (week1/gqa) on its own", BlockTag.ATTENTION_DIVERGES)
                : ctx.fail(message + ", though your Qwen2Attention on its own does not: something in the block mixes "
                        + "tokens");
    }

    /** Whether the student's attention alone lets the last token move an earlier output. */
    private static boolean attentionLeaks(CheckContext ctx, Qwen2Layer layer, float[] x, float[] changed, Shape shape) {
        float[] before = studentAttention(ctx, layer, x, shape);
        float[] after = studentAttention(ctx, layer, changed, shape);
        Probes.Causality seen = Probes.afterChangingLastTokens(
                Probes.movedRows(before, after, (int) shape.get(2), ctx.tolerance()), new int[] {(int) shape.get(1)});
        return seen.farLeak() || seen.nearLeak();
    }

    private static float[] studentAttention(CheckContext ctx, Qwen2Layer layer, float[] x, Shape shape) {
        NDArray out = layer.studentAttention(ctx).forward(ctx.manager().create(x, shape));
        return Grading.values(out, "Qwen2Attention.forward", Grading.dims(shape), DataType.FLOAT32);
    }

    /** Runs each of the student's parts on the input a correct block would give it; the first that differs. */
    private static Part firstDivergingPart(CheckContext ctx, Qwen2Layer layer, float[] x, Shape shape) {
        try (NDManager scratch = ctx.manager().newSubManager()) {
            BlockOracle.Stages stages = BlockOracle.stages(scratch.create(x, shape), layer.oracleBlock(scratch));
            Qwen2Layer.Parts parts = layer.studentParts(ctx);
            for (Part part : Part.values()) {
                NDArray out = switch (part) {
                    case INPUT_NORM -> parts.inputNorm().forward(stages.x());
                    case ATTENTION -> parts.attention().forward(stages.normed());
                    case POST_ATTENTION_NORM -> parts.postAttentionNorm().forward(stages.h());
                    case MLP -> parts.mlp().forward(stages.normedH());
                };
                NDArray reference = switch (part) {
                    case INPUT_NORM -> stages.normed();
                    case ATTENTION -> stages.attention();
                    case POST_ATTENTION_NORM -> stages.normedH();
                    case MLP -> stages.mlp();
                };
                float[] values = Grading.values(out, part.what, Grading.dims(shape), DataType.FLOAT32);
                if (!Comparison.allClose(values, reference.toFloatArray(), ctx.tolerance())) {
                    return part;
                }
            }
        }
        return null;
    }

    private static float[] student(CheckContext ctx, Qwen2Layer layer, float[] x, Shape shape) {
        Qwen2Layer.Parts parts;
        try {
            parts = layer.studentParts(ctx);
        } catch (StudentFailure f) {
            throw new StudentFailure(f.outcome(), "the block is built from your classes of week1/gqa and "
                    + "week1/rmsnorm-mlp, and " + f.getMessage());
        }
        LayerViews.Block block = parts.block(ctx);
        NDArray out = block.forward(ctx.manager().create(x, shape));
        return Grading.values(out, FN, Grading.dims(shape), DataType.FLOAT32);
    }
}
