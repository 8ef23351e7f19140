package dev.tinyvllm.steps.week1.rmsnormmlp;

import dev.tinyvllm.steps.week1.LayerViews;

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
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.check.probes.Probes;
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.oracle.LayerKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * week1/rmsnorm-mlp: RMSNorm against libtorch's {@code aten::rms_norm} (float32, small values where eps
 * matters, float16 inputs large enough that their squares overflow half precision) and the SwiGLU MLP
 * against {@code aten::linear} and {@code aten::silu}. A probe scales one token and expects no other
 * token's output to move: normalisation belongs to each token alone.
 */
public final class NormMlpChecks implements StepChecks {

    private static final String NORM_FN = "RMSNorm.forward";
    private static final String MLP_FN = "Qwen2MLP.forward";

    /**
     * float16 keeps about 3 significant digits: comparing a float16 result to libtorch's allows for a
     * rounding step more or less on the way (multiplying by the weight before or after the cast).
     */
    static final Tolerance HALF = new Tolerance(5e-3, 2e-3);

    private record NormCase(String name, String description, long[] shape, double scale, float eps, boolean half) {}

    private record MlpCase(String name, String description, long[] shape, int intermediate) {}

    private static final List<NormCase> NORM_CASES = List.of(
            new NormCase("rows", "7 rows of 24 features, eps 1e-6", new long[] {7, 24}, 1, 1e-6f, false),
            new NormCase("tokens", "batch 2, 5 tokens, 16 features, eps 1e-5", new long[] {2, 5, 16}, 1, 1e-5f, false),
            new NormCase("small_values", "values near 0.01 with eps 1e-3, where eps is not negligible",
                    new long[] {3, 16}, 0.01, 1e-3f, false),
            new NormCase("half_precision", "float16 values near 1000: their squares overflow float16",
                    new long[] {4, 32}, 1000, 1e-6f, true));

    private static final List<MlpCase> MLP_CASES = List.of(
            new MlpCase("tokens", "batch 2, 5 tokens, dim 16, intermediate 40", new long[] {2, 5, 16}, 40),
            new MlpCase("single_token", "one token, dim 24, intermediate 64", new long[] {1, 1, 24}, 64),
            new MlpCase("rows", "6 rows of dim 8 (two axes), intermediate 20", new long[] {6, 8}, 20));

    /** The probe's input: two sequences of 4 tokens; token 2 of the first is the one scaled. */
    private static final NormCase PROBE = new NormCase("tokens_independent", "", new long[] {2, 4, 16}, 1, 1e-6f, false);
    private static final int PROBE_ROW = 2;

    private static final List<NormMlpMutation> MLP_MUTATIONS =
            Arrays.stream(NormMlpMutation.values()).filter(m -> !m.ofNorm()).toList();

    public NormMlpChecks() {}

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (NormCase c : NORM_CASES) {
            checks.add(Check.of("rms_norm." + c.name(), NORM_FN, c.description(), ctx -> normCheck(ctx, c)));
        }
        checks.add(Check.of("rms_norm." + PROBE.name(), NORM_FN, "scaling one token's vector moves no other token",
                NormMlpChecks::tokensIndependent));
        for (MlpCase c : MLP_CASES) {
            checks.add(Check.of("qwen2_mlp." + c.name(), MLP_FN, c.description(), ctx -> mlpCheck(ctx, c)));
        }
        return List.copyOf(checks);
    }

    @Override
    public Class<NormMlpTag> tags() {
        return NormMlpTag.class;
    }

    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.of(CommonTag.SHAPE_MISMATCH, CommonTag.NAN_OUTPUT, CommonTag.DTYPE_CHANGED);
    }

    /** Every oracle here goes through the one TorchScript module of the layer kernels. */
    @Override
    public void warmUp(NDManager manager) {
        LayerKernels.silu(manager.ones(new Shape(1, 2)));
    }

    // ---------------------------------------------------------------- RMSNorm

    private static CheckResult normCheck(CheckContext ctx, NormCase c) {
        float[] x = Grading.gaussian(ctx.random(), (int) new Shape(c.shape()).size(), c.scale());
        float[] weight = normWeight(ctx.random(), lastDim(c.shape()));
        Tolerance tolerance = c.half() ? HALF : ctx.tolerance();
        float[] expected = oracleNorm(ctx, c, x, weight, EnumSet.noneOf(NormMlpMutation.class));
        float[] actual = studentNorm(ctx, c, x, weight);
        return Grading.compare(ctx.check().spec(), actual, expected, Grading.dims(c.shape()), tolerance,
                axes(c.shape()), () -> {
                    // Summing in half precision is a mistake only half-precision inputs can show.
                    List<NormMlpMutation> candidates = Arrays.stream(NormMlpMutation.values())
                            .filter(m -> m.ofNorm() && (c.half() || m != NormMlpMutation.HALF_PRECISION_SUM)).toList();
                    List<Tag> tags = Grading.agreedTags(actual, expected, tolerance,
                            Grading.variants(candidates, set -> oracleNorm(ctx, c, x, weight, set)));
                    return tags.isEmpty() && tokensInteract(ctx) == Interaction.CROSSES
                            ? List.<Tag>of(NormMlpTag.NORM_WRONG_AXIS) : tags;
                });
    }

    private static CheckResult tokensIndependent(CheckContext ctx) {
        return switch (tokensInteract(ctx)) {
            case NOT_FINITE -> Grading.nonFinite(ctx, NORM_FN);
            case CROSSES -> ctx.fail("multiplying token 2's vector by 10 moved the outputs of other tokens, but each "
                    + "token is normalised by its own numbers only", NormMlpTag.NORM_WRONG_AXIS);
            case NONE -> ctx.pass("multiplying token 2's vector by 10 moved no other token's output");
        };
    }

    /** What the probe saw; NaN in the unscaled output leaves nothing to compare. */
    private enum Interaction { NONE, CROSSES, NOT_FINITE }

    /** Scales one token's vector by 10 and reads which tokens' outputs moved. */
    private static Interaction tokensInteract(CheckContext ctx) {
        int dim = lastDim(PROBE.shape());
        float[] x = Grading.gaussian(ctx.random(), (int) new Shape(PROBE.shape()).size(), 1);
        float[] weight = normWeight(ctx.random(), dim);
        float[] before = studentNorm(ctx, PROBE, x, weight);
        if (Comparison.hasNonFinite(before)) {
            return Interaction.NOT_FINITE;
        }
        float[] scaled = x.clone();
        for (int i = PROBE_ROW * dim; i < (PROBE_ROW + 1) * dim; i++) {
            scaled[i] *= 10;
        }
        boolean[] moved = Probes.movedRows(before, studentNorm(ctx, PROBE, scaled, weight), dim, ctx.tolerance());
        boolean[] changed = new boolean[moved.length];
        changed[PROBE_ROW] = true;
        return Probes.crossesSequences(moved, changed) ? Interaction.CROSSES : Interaction.NONE;
    }

    private static float[] oracleNorm(CheckContext ctx, NormCase c, float[] x, float[] weight,
            Set<NormMlpMutation> mutations) {
        return ctx.oracle(scratch -> {
            NDArray[] a = normArrays(c, x, weight, scratch);
            return NormMlpOracle.rmsNorm(a[0], a[1], c.eps(), mutations).toType(DataType.FLOAT32, false);
        });
    }

    /** A fresh RMSNorm of the student's for every call, so no call leans on what another left behind. */
    private static float[] studentNorm(CheckContext ctx, NormCase c, float[] x, float[] weight) {
        NDArray[] a = normArrays(c, x, weight, ctx.manager());
        NDArray out = ctx.student(LayerViews.Norm.class).create(a[1], c.eps()).forward(a[0]);
        return Grading.values(out, NORM_FN, Grading.dims(c.shape()), c.half() ? DataType.FLOAT16 : DataType.FLOAT32);
    }

    /** The input and the weight, both in float16 for the half-precision case. */
    private static NDArray[] normArrays(NormCase c, float[] x, float[] weight, NDManager m) {
        NDArray input = m.create(x, new Shape(c.shape()));
        NDArray w = m.create(weight);
        if (c.half()) {
            return new NDArray[] {input.toType(DataType.FLOAT16, false), w.toType(DataType.FLOAT16, false)};
        }
        return new NDArray[] {input, w};
    }

    /** Near 1, as a trained norm's weights are, but different per feature so a missing weight shows. */
    private static float[] normWeight(Random random, int dim) {
        float[] w = Grading.gaussian(random, dim, 0.3);
        for (int i = 0; i < dim; i++) {
            w[i] += 1;
        }
        return w;
    }

    // ---------------------------------------------------------------- MLP

    private static CheckResult mlpCheck(CheckContext ctx, MlpCase c) {
        int dim = lastDim(c.shape());
        Random random = ctx.random();
        float[] x = Grading.gaussian(random, (int) new Shape(c.shape()).size(), 1);
        float[][] w = {
            Grading.gaussian(random, c.intermediate() * dim, 1 / Math.sqrt(dim)),
            Grading.gaussian(random, c.intermediate() * dim, 1 / Math.sqrt(dim)),
            Grading.gaussian(random, dim * c.intermediate(), 1 / Math.sqrt(c.intermediate()))};
        float[] expected = oracleMlp(ctx, c, x, w, EnumSet.noneOf(NormMlpMutation.class));
        NDArray[] a = mlpArrays(c, x, w, ctx.manager());
        NDArray out = ctx.student(LayerViews.Mlp.class).create(a[1], a[2], a[3]).forward(a[0]);
        float[] actual = Grading.values(out, MLP_FN, Grading.dims(c.shape()), DataType.FLOAT32);
        return Grading.compare(ctx.check().spec(), actual, expected, Grading.dims(c.shape()), ctx.tolerance(),
                axes(c.shape()), () -> Grading.agreedTags(actual, expected, ctx.tolerance(),
                        Grading.singles(MLP_MUTATIONS, set -> oracleMlp(ctx, c, x, w, set))));
    }

    private static float[] oracleMlp(CheckContext ctx, MlpCase c, float[] x, float[][] w,
            Set<NormMlpMutation> mutations) {
        return ctx.oracle(scratch -> {
            NDArray[] a = mlpArrays(c, x, w, scratch);
            return NormMlpOracle.mlp(a[0], a[1], a[2], a[3], mutations);
        });
    }

    /** x, then the gate, up and down weights, {@code [out, in]}. */
    private static NDArray[] mlpArrays(MlpCase c, float[] x, float[][] w, NDManager m) {
        int dim = lastDim(c.shape());
        return new NDArray[] {m.create(x, new Shape(c.shape())),
            m.create(w[0], new Shape(c.intermediate(), dim)), m.create(w[1], new Shape(c.intermediate(), dim)),
            m.create(w[2], new Shape(dim, c.intermediate()))};
    }

    // ---------------------------------------------------------------- shared

    private static int lastDim(long[] shape) {
        return (int) shape[shape.length - 1];
    }

    private static List<String> axes(long[] shape) {
        return shape.length == 2 ? Arrays.asList("token", null) : Arrays.asList("batch", "token", null);
    }
}
