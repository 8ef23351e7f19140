package dev.tinyvllm.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.curriculum.Tolerance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What every step's checks share: reading the student's result, comparing it with an oracle, telling
 * where the largest error sits, and the mutant rule (which known-wrong variants explain an output, and
 * what they agree on).
 */
public final class Grading {

    private Grading() {}

    /** Explains a failed comparison with the tags it can tell with confidence (none when unsure). */
    @FunctionalInterface
    public interface Diagnosis {
        List<? extends Tag> tags();
    }

    /**
     * A known-wrong variant of an oracle: its tags, how many mistakes it combines, and its output when
     * someone asks.
     */
    public record Variant(Set<Tag> tags, int mistakes, Supplier<float[]> output) {}

    /**
     * The student's result as float32 values, once it is an NDArray of the expected shape and type.
     *
     * @param what how the report names the call, for example {@code RoPE.apply}
     * @throws WrongOutput when it is null, or of another shape or type
     */
    public static float[] values(NDArray result, String what, List<Long> shape, DataType type) {
        if (result == null) {
            throw new WrongOutput(what + " returned null; expected an NDArray of shape " + shape,
                    List.of(CommonTag.SHAPE_MISMATCH), shape, null);
        }
        List<Long> actual = dims(result.getShape());
        if (!actual.equals(shape)) {
            long expectedCount = shape.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
            String hint = result.getShape().size() == expectedCount
                    ? " (the same number of values, arranged in a different shape)" : "";
            throw new WrongOutput(what + ": expected shape " + shape + ", got " + actual + hint,
                    List.of(CommonTag.SHAPE_MISMATCH), shape, actual);
        }
        if (result.getDataType() != type) {
            throw new WrongOutput(what + ": expected " + type + " values, like the input, got " + result.getDataType(),
                    List.of(CommonTag.DTYPE_CHANGED), shape, actual);
        }
        return (type == DataType.FLOAT32 ? result : result.toType(DataType.FLOAT32, false)).toFloatArray();
    }

    /**
     * PASS when every value is within the tolerance; otherwise FAIL with the count, the largest error,
     * where it sits, and what the diagnosis can tell.
     *
     * @param axes a name per axis of {@code shape} for reporting where; null for axes not worth naming
     */
    public static CheckResult compare(CheckSpec check, float[] actual, float[] expected, List<Long> shape,
            Tolerance tolerance, List<String> axes, Diagnosis diagnosis) {
        return compare(check, actual, expected, shape, tolerance, flat -> where(flat, shape, axes), diagnosis);
    }

    /**
     * The same, for a layout whose positions are not plain axes.
     *
     * @param position the position of a flat index, by name
     * @param diagnosis null to report no tags but NAN_OUTPUT
     */
    public static CheckResult compare(CheckSpec check, float[] actual, float[] expected, List<Long> shape,
            Tolerance tolerance, IntFunction<Map<String, Long>> position, Diagnosis diagnosis) {
        Comparison.Diff diff = Comparison.compare(actual, expected, tolerance);
        Map<String, Long> where = diff.worstIndex() < 0 ? null : position.apply(diff.worstIndex());
        Double maxAbs = diff.nonFinite() ? null : diff.maxAbsError();
        Double maxRel = diff.nonFinite() ? null : diff.maxRelError();
        if (diff.close()) {
            return new CheckResult(check.id(), check.function(), check.description(), Outcome.PASS,
                    String.format(Locale.ROOT, "matches libtorch within %s (max abs error %.2e)", tolerance,
                            diff.maxAbsError()),
                    List.of(), null, maxAbs, maxRel, where, shape, shape, null, 0);
        }
        Set<String> tags = new LinkedHashSet<>();
        if (diagnosis != null) {
            diagnosis.tags().forEach(t -> tags.add(t.name()));
        }
        if (diff.nonFinite()) {
            tags.add(CommonTag.NAN_OUTPUT.name());
        }
        String message = String.format(Locale.ROOT, "%d of %d values differ from libtorch beyond %s; ",
                diff.mismatches(), actual.length, tolerance)
                + (diff.nonFinite() ? "NaN or infinity" : String.format(Locale.ROOT, "largest error %.3g",
                        diff.maxAbsError()))
                + " at " + describe(where);
        return new CheckResult(check.id(), check.function(), check.description(), Outcome.FAIL, message,
                List.copyOf(tags), null, maxAbs, maxRel, where, shape, shape, null, 0);
    }

    /**
     * The tags every matching variant agrees on; variants equal to the truth, or NaN throughout, prove
     * nothing. Simpler explanations first: when a single mistake matches, combinations of two are not
     * tried (a pair that also matched would have to contain that mistake, or match by coincidence).
     */
    public static List<Tag> agreedTags(float[] actual, float[] expected, Tolerance tolerance, List<Variant> variants) {
        return agreedTags(actual, expected, tolerance,
                variants.stream().sorted(Comparator.comparingInt(Variant::mistakes)).toList(), true);
    }

    /**
     * The tags all matching variants agree on, singles and pairs alike, tried in the order given: a pair
     * that matches by coincidence beside a single narrows the tags rather than being passed over.
     */
    public static List<Tag> tagsAllMatchesAgreeOn(float[] actual, float[] expected, Tolerance tolerance,
            List<Variant> variants) {
        return agreedTags(actual, expected, tolerance, variants, false);
    }

    private static List<Tag> agreedTags(float[] actual, float[] expected, Tolerance tolerance,
            List<Variant> variants, boolean simplestFirst) {
        Set<Tag> agreed = null;
        int level = -1;
        for (Variant variant : variants) {
            if (simplestFirst && agreed != null && variant.mistakes() > level) {
                break;
            }
            level = variant.mistakes();
            if (!explains(variant.output().get(), actual, expected, tolerance)) {
                continue;
            }
            if (agreed == null) {
                agreed = new LinkedHashSet<>(variant.tags());
            } else {
                agreed.retainAll(variant.tags());
            }
        }
        return agreed == null ? List.of() : List.copyOf(agreed);
    }

    /**
     * Whether a known-wrong variant explains the student's output. A variant equal to the truth proves
     * nothing on these inputs, and one that is NaN throughout "matches" any output that is NaN throughout.
     */
    public static boolean explains(float[] variant, float[] actual, float[] expected, Tolerance tolerance) {
        return variant.length == actual.length && !Comparison.allClose(variant, expected, tolerance)
                && Comparison.hasFinite(variant) && Comparison.allClose(actual, variant, tolerance);
    }

    /**
     * A variant for each candidate alone and each pair from different groups, its output computed by
     * {@code output} when asked.
     */
    public static <M extends Enum<M> & Mutation> List<Variant> variants(List<M> candidates,
            Function<Set<M>, float[]> output) {
        List<Variant> variants = new ArrayList<>();
        for (List<M> variant : singlesAndPairs(candidates, Mutation::group)) {
            Set<M> set = EnumSet.copyOf(variant);
            variants.add(new Variant(tags(set), set.size(), () -> output.apply(set)));
        }
        return variants;
    }

    /** A variant for each candidate alone. */
    public static <M extends Enum<M> & Mutation> List<Variant> singles(List<M> candidates,
            Function<Set<M>, float[]> output) {
        return candidates.stream()
                .map(m -> new Variant(Set.of(m.tag()), 1, () -> output.apply(EnumSet.of(m)))).toList();
    }

    public static Set<Tag> tags(Set<? extends Mutation> mutations) {
        Set<Tag> tags = new LinkedHashSet<>();
        mutations.forEach(m -> tags.add(m.tag()));
        return tags;
    }

    /** Each candidate alone, and each pair from different groups: two mistakes at once, never two of a kind. */
    public static <M> List<List<M>> singlesAndPairs(List<M> candidates, Function<M, ?> group) {
        List<List<M>> variants = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            variants.add(List.of(candidates.get(i)));
            for (int j = i + 1; j < candidates.size(); j++) {
                if (!group.apply(candidates.get(i)).equals(group.apply(candidates.get(j)))) {
                    variants.add(List.of(candidates.get(i), candidates.get(j)));
                }
            }
        }
        return variants;
    }

    /** The position of a flat index, by axis name. */
    public static Map<String, Long> where(int flat, List<Long> shape, List<String> axes) {
        long[] index = new long[shape.size()];
        long rest = flat;
        for (int a = shape.size() - 1; a >= 0; a--) {
            index[a] = rest % shape.get(a);
            rest /= shape.get(a);
        }
        Map<String, Long> where = new LinkedHashMap<>();
        for (int a = 0; a < index.length && a < axes.size(); a++) {
            if (axes.get(a) != null) {
                where.put(axes.get(a), index[a]);
            }
        }
        return where;
    }

    public static String describe(Map<String, Long> where) {
        if (where == null || where.isEmpty()) {
            return "an unknown position";
        }
        StringBuilder s = new StringBuilder();
        where.forEach((axis, index) -> s.append(s.length() == 0 ? "" : ", ").append(axis).append(' ').append(index));
        return s.toString();
    }

    /** A probe compares outputs; NaN in the unperturbed output leaves nothing to compare. */
    public static CheckResult nonFinite(CheckContext ctx, String what) {
        return ctx.fail(what + " returned NaN or infinity on the probe's input, so the probe cannot tell what moves",
                CommonTag.NAN_OUTPUT);
    }

    public static float[] gaussian(Random random, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (scale * random.nextGaussian());
        }
        return values;
    }

    public static List<Long> dims(Shape shape) {
        return dims(shape.getShape());
    }

    public static List<Long> dims(long... shape) {
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d);
        }
        return dims;
    }

    public static boolean any(boolean[] values) {
        for (boolean b : values) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
