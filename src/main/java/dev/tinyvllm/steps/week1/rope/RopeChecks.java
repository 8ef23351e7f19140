package dev.tinyvllm.steps.week1.rope;

import dev.tinyvllm.steps.week1.LayerViews;

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
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.oracle.LayerKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * week1/rope: the RoPE class in both layouts, against a DJL composition (libtorch has no RoPE kernel),
 * plus a case small enough to check by hand and probes of the two properties that make RoPE what it
 * is: position 0 is left alone, and the product of a rotated query and key depends only on how far
 * apart they are.
 */
public final class RopeChecks implements StepChecks {

    static final int MAX_SEQ_LEN = 32;

    private static final List<String> AXES = Arrays.asList("batch", "token", "head", null);

    /** One of the two layouts, with the sizes and base its cases use. */
    private record Layout(String function, String prefix, boolean traditional, int dim, double base) {}

    private record Case(String name, String description, int batch, int len, int heads, int offset) {}

    private static final List<Layout> LAYOUTS = List.of(
            new Layout(RopeParts.INTERLEAVED, "interleaved", true, 8, 10_000),
            new Layout(RopeParts.HALF_SPLIT, "half_split", false, 16, 1_000_000));

    private static final List<Case> CASES = List.of(
            new Case("no_offset", "batch 2, 6 tokens, 3 heads, from position 0", 2, 6, 3, 0),
            new Case("offset", "5 tokens from position 7", 1, 5, 2, 7));

    /** The hand-checkable case: one head of 4 features, base 100, so the two pairs turn by 1 and 0.1 rad per position. */
    private static final float[] HAND_ROW = {1, 2, 3, 4};
    private static final double HAND_BASE = 100;

    public RopeChecks() {}

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (Layout layout : LAYOUTS) {
            String p = layout.prefix() + ".";
            String fn = layout.function();
            for (Case c : CASES) {
                checks.add(Check.of(p + c.name(), fn, c.description(), ctx -> new Run(ctx, layout).valueCheck(c)));
            }
            checks.add(Check.of(p + "hand_checked", fn,
                    "x = [1, 2, 3, 4] at positions 0, 1, 2, base 100: numbers you can work out by hand",
                    ctx -> new Run(ctx, layout).handChecked()));
            checks.add(Check.of(p + "position_zero", fn, "the token at position 0 comes back unchanged",
                    ctx -> new Run(ctx, layout).positionZero()));
            checks.add(Check.of(p + "relative_positions", fn,
                    "a rotated query times a rotated key depends only on how far apart they are",
                    ctx -> new Run(ctx, layout).relativePositions()));
        }
        return List.copyOf(checks);
    }

    @Override
    public Class<RopeTag> tags() {
        return RopeTag.class;
    }

    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.of(CommonTag.SHAPE_MISMATCH, CommonTag.DTYPE_CHANGED, CommonTag.NAN_OUTPUT);
    }

    /**
     * The RoPE oracle is a DJL composition that needs no TorchScript; the layer kernels are warmed as
     * every layer step's are, so libtorch itself is loaded before the first check's clock starts.
     */
    @Override
    public void warmUp(NDManager manager) {
        LayerKernels.silu(manager.ones(new Shape(1, 2)));
    }

    /** What the relative-position probe found. */
    private enum Relative {
        HOLDS(List.of()),
        NOT_FINITE(List.of(CommonTag.NAN_OUTPUT)),
        NEVER_TURNS(List.of(RopeTag.OFFSET_IGNORED)),
        NOT_A_ROTATION(List.of(RopeTag.NOT_A_ROTATION));

        private final List<Tag> tags;

        Relative(List<Tag> tags) {
            this.tags = tags;
        }
    }

    /** One check of one layout. */
    private static final class Run {
        private final CheckContext ctx;
        private final Layout layout;

        Run(CheckContext ctx, Layout layout) {
            this.ctx = ctx;
            this.layout = layout;
        }

        CheckResult valueCheck(Case c) {
            float[] x = Grading.gaussian(ctx.random(), c.batch() * c.len() * c.heads() * layout.dim(), 1);
            Shape shape = new Shape(c.batch(), c.len(), c.heads(), layout.dim());
            float[] expected = oracle(x, shape, c.offset(), EnumSet.noneOf(RopeMutation.class));
            float[] actual = student(x, shape, c.offset());
            return Grading.compare(ctx.check().spec(), actual, expected, Grading.dims(shape), ctx.tolerance(), AXES,
                    () -> orProbe(matchMutants(x, shape, c.offset(), actual, expected)));
        }

        CheckResult handChecked() {
            int len = 3;
            float[] x = new float[len * HAND_ROW.length];
            for (int t = 0; t < len; t++) {
                System.arraycopy(HAND_ROW, 0, x, t * HAND_ROW.length, HAND_ROW.length);
            }
            Shape shape = new Shape(1, len, 1, HAND_ROW.length);
            double[] exact = RopeOracle.byHand(x, 1, len, 1, HAND_ROW.length, HAND_BASE, layout.traditional(), 0);
            float[] expected = new float[exact.length];
            for (int i = 0; i < exact.length; i++) {
                expected[i] = (float) exact[i];
            }
            float[] actual = student(x, shape, 0, HAND_ROW.length, HAND_BASE);
            CheckResult result = Grading.compare(ctx.check().spec(), actual, expected, Grading.dims(shape),
                    ctx.tolerance(), AXES, () -> orProbe(Grading.agreedTags(actual, expected, ctx.tolerance(),
                            Grading.variants(List.of(RopeMutation.values()), set -> ctx.oracle(scratch -> RopeOracle.apply(
                                    scratch.create(x, shape), HAND_BASE, layout.traditional(), 0, set))))));
            if (result.status() == Outcome.PASS) {
                return result.withTags(List.of(), "matches the values worked out by hand: at position 1, "
                        + Arrays.toString(HAND_ROW) + " turns into " + row(expected, 1));
            }
            if (result.where() == null) {
                return result;
            }
            int t = result.where().getOrDefault("token", 0L).intValue();
            String message = result.message().replace("from libtorch", "from the values worked out by hand");
            return result.withTags(result.tags(), message + "; at position " + t + " the rotation of "
                    + Arrays.toString(HAND_ROW) + " should give " + row(expected, t) + ", yours gives " + row(actual, t));
        }

        CheckResult positionZero() {
            Shape shape = new Shape(1, 4, 2, layout.dim());
            float[] x = Grading.gaussian(ctx.random(), (int) shape.size(), 1);
            float[] out = student(x, shape, 0);
            if (Comparison.hasNonFinite(out)) {
                return Grading.nonFinite(ctx, "RoPE.apply");
            }
            int width = 2 * layout.dim(); // the first token's two heads
            if (Comparison.allClose(Arrays.copyOf(out, width), Arrays.copyOf(x, width), ctx.tolerance())) {
                return ctx.pass("position 0 turns by angle 0: the first token came back unchanged");
            }
            float[] expected = oracle(x, shape, 0, EnumSet.noneOf(RopeMutation.class));
            return ctx.fail("the token at position 0 changed, but every angle at position 0 is 0",
                    matchMutants(x, shape, 0, out, expected));
        }

        /**
         * A query and a key of one token each, placed at positions m and n through the offset: the
         * product of the rotated pair must depend on n - m only, and equal the unrotated product when
         * they sit at the same position.
         */
        CheckResult relativePositions() {
            Relative found = relativeProbe();
            if (found == Relative.HOLDS) {
                return ctx.pass("rotated query-key products depend only on the distance between the positions");
            }
            String message = found == Relative.NEVER_TURNS
                    ? "a single token placed at positions up to 15 through the offset never turned: every product "
                            + "equals the unrotated one"
                    : "two query-key pairs the same distance apart gave different products, so the pairs are not "
                            + "turned by a rotation that depends on the position only";
            return ctx.fail(message, found.tags);
        }

        private Relative relativeProbe() {
            int heads = 2;
            int dim = layout.dim();
            Shape shape = new Shape(1, 1, heads, dim);
            float[] q = Grading.gaussian(ctx.random(), heads * dim, 1);
            float[] k = Grading.gaussian(ctx.random(), heads * dim, 1);
            int[][] pairs = {{0, 0}, {9, 9}, {0, 4}, {5, 9}, {11, 15}, {3, 1}, {14, 12}};
            double[][] dots = new double[pairs.length][];
            for (int p = 0; p < pairs.length; p++) {
                float[] rq = student(q, shape, pairs[p][0]);
                float[] rk = student(k, shape, pairs[p][1]);
                if (Comparison.hasNonFinite(rq) || Comparison.hasNonFinite(rk)) {
                    return Relative.NOT_FINITE;
                }
                dots[p] = dots(rq, rk, heads, dim);
            }
            double[] plain = dots(q, k, heads, dim);
            boolean rotation = close(dots[0], plain) && close(dots[1], plain)
                    && close(dots[2], dots[3]) && close(dots[3], dots[4]) && close(dots[5], dots[6]);
            if (rotation && close(dots[2], plain) && close(dots[5], plain)) {
                return Relative.NEVER_TURNS;
            }
            return rotation ? Relative.HOLDS : Relative.NOT_A_ROTATION;
        }

        /** Products of numbers near 1 over {@code dim} features: an error relative to the dimension. */
        private boolean close(double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) {
                if (Math.abs(a[i] - b[i]) > 1e-4 * (Math.abs(b[i]) + layout.dim())) {
                    return false;
                }
            }
            return true;
        }

        private static double[] dots(float[] a, float[] b, int heads, int dim) {
            double[] dots = new double[heads];
            for (int h = 0; h < heads; h++) {
                for (int d = 0; d < dim; d++) {
                    dots[h] += (double) a[h * dim + d] * b[h * dim + d];
                }
            }
            return dots;
        }

        // ---------------------------------------------------------------- diagnosing

        /** The mutants' tags, or when no known mistake explains the output, what the relative probe says. */
        private List<Tag> orProbe(List<Tag> tags) {
            return tags.isEmpty() ? relativeProbe().tags : tags;
        }

        private List<Tag> matchMutants(float[] x, Shape shape, int offset, float[] actual, float[] expected) {
            return Grading.agreedTags(actual, expected, ctx.tolerance(),
                    Grading.variants(List.of(RopeMutation.values()), set -> oracle(x, shape, offset, set)));
        }

        // ---------------------------------------------------------------- running code

        private float[] oracle(float[] x, Shape shape, int offset, Set<RopeMutation> mutations) {
            return ctx.oracle(scratch -> RopeOracle.apply(scratch.create(x, shape), layout.base(), layout.traditional(),
                    offset, mutations));
        }

        private float[] student(float[] x, Shape shape, int offset) {
            return student(x, shape, offset, layout.dim(), layout.base());
        }

        /** Builds the student's RoPE afresh for each call, so a call cannot lean on state left by another. */
        private float[] student(float[] x, Shape shape, int offset, int dim, double base) {
            LayerViews.Rope rope = ctx.student(LayerViews.Rope.class).create(ctx.manager(), dim, MAX_SEQ_LEN, base, layout.traditional());
            return Grading.values(rope.apply(ctx.manager().create(x, shape), offset), "RoPE.apply",
                    Grading.dims(shape), DataType.FLOAT32);
        }

        private static String row(float[] values, int t) {
            StringBuilder s = new StringBuilder("[");
            for (int d = 0; d < HAND_ROW.length; d++) {
                s.append(d == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", values[t * HAND_ROW.length + d]));
            }
            return s.append(']').toString();
        }
    }
}
