package dev.tinyvllm.check.steps;

import static dev.tinyvllm.check.steps.Grading.dims;
import static dev.tinyvllm.check.steps.Grading.fail;
import static dev.tinyvllm.check.steps.Grading.pass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepGrader;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.check.steps.Grading.NamedCase;
import dev.tinyvllm.check.steps.Grading.WrongOutput;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.oracle.RopeMutation;
import dev.tinyvllm.oracle.RopeOracle;
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
public final class RopeGrader implements StepGrader {

    static final String CLASS = "week1.rope.RoPE";
    static final Class<?>[] CONSTRUCTOR = {NDManager.class, int.class, int.class, double.class, boolean.class};
    static final Class<?>[] APPLY = {NDArray.class, int.class};
    static final int MAX_SEQ_LEN = 32;

    private static final List<String> AXES = Arrays.asList("batch", "token", "head", null);

    /** One of the two layouts, with the sizes and base its cases use. */
    private record Layout(String function, String prefix, boolean traditional, int dim, double base) {}

    private record Case(String name, String description, int batch, int len, int heads, int offset)
            implements NamedCase {}

    private static final List<Layout> LAYOUTS = List.of(
            new Layout("RoPE.apply (interleaved)", "interleaved", true, 8, 10_000),
            new Layout("RoPE.apply (half-split)", "half_split", false, 16, 1_000_000));

    private static final List<Case> CASES = List.of(
            new Case("no_offset", "batch 2, 6 tokens, 3 heads, from position 0", 2, 6, 3, 0),
            new Case("offset", "5 tokens from position 7", 1, 5, 2, 7));

    private static final String HAND = "hand_checked";
    private static final String POSITION_ZERO = "position_zero";
    private static final String RELATIVE = "relative_positions";
    /** The hand-checkable case: one head of 4 features, base 100, so the two pairs turn by 1 and 0.1 rad per position. */
    private static final float[] HAND_ROW = {1, 2, 3, 4};
    private static final double HAND_BASE = 100;

    @Override
    public String stepId() {
        return "week1/rope";
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        for (Layout layout : LAYOUTS) {
            String p = layout.prefix() + ".";
            checks.addAll(Grading.specs(p, layout.function(), CASES));
            checks.add(new CheckSpec(p + HAND, layout.function(),
                    "x = [1, 2, 3, 4] at positions 0, 1, 2, base 100: numbers you can work out by hand"));
            checks.add(new CheckSpec(p + POSITION_ZERO, layout.function(), "the token at position 0 comes back unchanged"));
            checks.add(new CheckSpec(p + RELATIVE, layout.function(),
                    "a rotated query times a rotated key depends only on how far apart they are"));
        }
        return checks;
    }

    @Override
    public CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        Layout layout = LAYOUTS.stream().filter(l -> l.function().equals(check.function())).findFirst().orElseThrow();
        String caseName = Grading.caseName(check);
        Run run = new Run(check, layout, code, manager, step, seed);
        return Grading.guarded(check, () -> switch (caseName) {
            case HAND -> run.handChecked();
            case POSITION_ZERO -> run.positionZero();
            case RELATIVE -> run.relativePositions();
            default -> run.valueCheck(Grading.named(CASES, caseName));
        });
    }

    /** One check's state. */
    private static final class Run extends CheckContext {
        private final Layout layout;

        Run(CheckSpec check, Layout layout, StudentCode code, NDManager manager, Step step, long seed) {
            super(check, code, manager, step, seed);
            this.layout = layout;
        }

        CheckResult valueCheck(Case c) throws StudentFailure, WrongOutput {
            float[] x = Grading.gaussian(random, c.batch() * c.len() * c.heads() * layout.dim(), 1);
            Shape shape = new Shape(c.batch(), c.len(), c.heads(), layout.dim());
            float[] expected = oracle(x, shape, c.offset(), EnumSet.noneOf(RopeMutation.class));
            float[] actual = student(x, shape, c.offset());
            return Grading.compare(check, actual, expected, dims(shape), tolerance, AXES,
                    () -> diagnose(x, shape, c.offset(), actual, expected));
        }

        CheckResult handChecked() throws StudentFailure, WrongOutput {
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
            CheckResult result = Grading.compare(check, actual, expected, dims(shape), tolerance, AXES,
                    () -> diagnoseHand(x, shape, actual, expected));
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

        CheckResult positionZero() throws StudentFailure, WrongOutput {
            Shape shape = new Shape(1, 4, 2, layout.dim());
            float[] x = Grading.gaussian(random, (int) shape.size(), 1);
            float[] out = student(x, shape, 0);
            if (Comparison.hasNonFinite(out)) {
                return Grading.nonFinite(check, "RoPE.apply");
            }
            int width = 2 * layout.dim();
            float[] first = Arrays.copyOf(out, width);
            if (Comparison.allClose(first, Arrays.copyOf(x, width), tolerance)) {
                return pass(check, "position 0 turns by angle 0: the first token came back unchanged");
            }
            float[] expected = oracle(x, shape, 0, EnumSet.noneOf(RopeMutation.class));
            List<String> tags = matchMutants(x, shape, 0, out, expected);
            return fail(check, "the token at position 0 changed, but every angle at position 0 is 0", tags);
        }

        /**
         * A query and a key of one token each, placed at positions m and n through the offset: the
         * product of the rotated pair must depend on n - m only, and equal the unrotated product when
         * they sit at the same position.
         */
        CheckResult relativePositions() throws StudentFailure, WrongOutput {
            List<String> tags = relativeProbe();
            if (tags == null) {
                return pass(check, "rotated query-key products depend only on the distance between the positions");
            }
            String message = tags.contains("OFFSET_IGNORED")
                    ? "a single token placed at positions up to 15 through the offset never turned: every product "
                            + "equals the unrotated one"
                    : "two query-key pairs the same distance apart gave different products, so the pairs are not "
                            + "turned by a rotation that depends on the position only";
            return fail(check, message, tags);
        }

        /** null when the property holds; otherwise the tags that explain why not. */
        private List<String> relativeProbe() throws StudentFailure, WrongOutput {
            int heads = 2;
            int dim = layout.dim();
            Shape shape = new Shape(1, 1, heads, dim);
            float[] q = Grading.gaussian(random, heads * dim, 1);
            float[] k = Grading.gaussian(random, heads * dim, 1);
            int[][] pairs = {{0, 0}, {9, 9}, {0, 4}, {5, 9}, {11, 15}, {3, 1}, {14, 12}};
            double[][] dots = new double[pairs.length][];
            for (int p = 0; p < pairs.length; p++) {
                float[] rq = student(q, shape, pairs[p][0]);
                float[] rk = student(k, shape, pairs[p][1]);
                if (Comparison.hasNonFinite(rq) || Comparison.hasNonFinite(rk)) {
                    return List.of("NAN_OUTPUT");
                }
                dots[p] = dots(rq, rk, heads, dim);
            }
            double[] plain = dots(q, k, heads, dim);
            boolean rotation = close(dots[0], plain) && close(dots[1], plain)
                    && close(dots[2], dots[3]) && close(dots[3], dots[4]) && close(dots[5], dots[6]);
            if (rotation && close(dots[2], plain) && close(dots[5], plain)) {
                return List.of("OFFSET_IGNORED");
            }
            return rotation ? null : List.of("NOT_A_ROTATION");
        }

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

        private List<String> diagnose(float[] x, Shape shape, int offset, float[] actual, float[] expected)
                throws StudentFailure, WrongOutput {
            List<String> tags = matchMutants(x, shape, offset, actual, expected);
            if (!tags.isEmpty()) {
                return tags;
            }
            List<String> probe = relativeProbe();
            return probe == null ? List.of() : probe;
        }

        private List<String> diagnoseHand(float[] x, Shape shape, float[] actual, float[] expected)
                throws StudentFailure, WrongOutput {
            List<String> tags = Grading.agreedTags(actual, expected, tolerance, Grading.variants(
                    List.of(RopeMutation.values()), set -> oracle(scratch -> RopeOracle.apply(scratch.create(x, shape),
                            HAND_BASE, layout.traditional(), 0, set))));
            if (!tags.isEmpty()) {
                return tags;
            }
            List<String> probe = relativeProbe();
            return probe == null ? List.of() : probe;
        }

        private List<String> matchMutants(float[] x, Shape shape, int offset, float[] actual, float[] expected) {
            return Grading.agreedTags(actual, expected, tolerance,
                    Grading.variants(List.of(RopeMutation.values()), set -> oracle(x, shape, offset, set)));
        }

        // ---------------------------------------------------------------- running code

        private float[] oracle(float[] x, Shape shape, int offset, Set<RopeMutation> mutations) {
            return oracle(scratch -> RopeOracle.apply(scratch.create(x, shape), layout.base(), layout.traditional(),
                    offset, mutations));
        }

        private float[] student(float[] x, Shape shape, int offset) throws StudentFailure, WrongOutput {
            return student(x, shape, offset, layout.dim(), layout.base());
        }

        /** Builds the student's RoPE afresh for each call, so a call cannot lean on state left by another. */
        private float[] student(float[] x, Shape shape, int offset, int dim, double base)
                throws StudentFailure, WrongOutput {
            try (NDManager scratch = manager.newSubManager()) {
                Object rope = code.construct(CLASS, CONSTRUCTOR, scratch, dim, MAX_SEQ_LEN, base, layout.traditional());
                Object out = code.invoke(rope, "apply", APPLY, scratch.create(x, shape), offset);
                return Grading.values(out, "RoPE.apply", dims(shape), DataType.FLOAT32);
            }
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
