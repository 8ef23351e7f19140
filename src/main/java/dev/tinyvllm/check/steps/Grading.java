package dev.tinyvllm.check.steps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.oracle.Mutation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.stream.Stream;

/**
 * What the step graders share: finding a check's case, reading the student's result, comparing it
 * with an oracle, telling where the largest error sits, and matching the output against mutants.
 */
final class Grading {

    private Grading() {}

    /** The student's result has the wrong shape or type: no values can be compared. */
    static final class WrongOutput extends Exception {
        private static final long serialVersionUID = 1L;
        final transient List<String> tags;
        final transient List<Long> expected;
        final transient List<Long> actual;

        WrongOutput(String message, List<String> tags, List<Long> expected, List<Long> actual) {
            super(message);
            this.tags = tags;
            this.expected = expected;
            this.actual = actual;
        }
    }

    /** One check's work, which may find the student's code failing or returning the wrong thing. */
    @FunctionalInterface
    interface Body {
        CheckResult run() throws StudentFailure, WrongOutput;
    }

    /** Explains a failed comparison with the tags it can tell with confidence (none when unsure). */
    @FunctionalInterface
    interface Diagnosis {
        List<String> tags() throws StudentFailure, WrongOutput;
    }

    /**
     * A known-wrong variant of the oracle: its tags, how many mistakes it combines, and its output when
     * someone asks.
     */
    record Variant(Set<String> tags, int mistakes, Supplier<float[]> output) {}

    /** One case of a function's checks: the end of the check's id, and what it verifies. */
    interface NamedCase {
        String name();

        String description();
    }

    /** A check per case: id {@code prefix + name}, for {@code function}. */
    static List<CheckSpec> specs(String prefix, String function, List<? extends NamedCase> cases) {
        return cases.stream().map(c -> new CheckSpec(prefix + c.name(), function, c.description())).toList();
    }

    /** The case a check runs: its id after the first dot. */
    static String caseName(CheckSpec check) {
        return check.id().substring(check.id().indexOf('.') + 1);
    }

    static <C extends NamedCase> C named(List<C> cases, String name) {
        return cases.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Runs a check, turning what the student's code did wrong into the check's result. */
    static CheckResult guarded(CheckSpec check, Body body) {
        try {
            return body.run();
        } catch (StudentFailure failure) {
            return CheckResult.of(check, failure.outcome(), failure.getMessage());
        } catch (WrongOutput wrong) {
            return new CheckResult(check.id(), check.function(), check.description(), Outcome.FAIL,
                    wrong.getMessage(), wrong.tags, null, null, null, null, wrong.expected, wrong.actual, null, 0);
        }
    }

    /**
     * The student's result as float32 values, once it is an NDArray of the expected shape and type.
     *
     * @param what how the report names the call, for example {@code RoPE.apply}
     */
    static float[] values(Object result, String what, List<Long> shape, DataType type) throws WrongOutput {
        if (result == null) {
            throw new WrongOutput(what + " returned null; expected an NDArray of shape " + shape,
                    List.of("SHAPE_MISMATCH"), shape, null);
        }
        if (!(result instanceof NDArray out)) {
            throw new WrongOutput(what + " returned a " + result.getClass().getName() + ", not an NDArray",
                    List.of("SHAPE_MISMATCH"), shape, null);
        }
        List<Long> actual = dims(out.getShape());
        if (!actual.equals(shape)) {
            long expectedCount = shape.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
            String hint = out.getShape().size() == expectedCount
                    ? " (the same number of values, arranged in a different shape)" : "";
            throw new WrongOutput(what + ": expected shape " + shape + ", got " + actual + hint,
                    List.of("SHAPE_MISMATCH"), shape, actual);
        }
        if (out.getDataType() != type) {
            throw new WrongOutput(what + ": expected " + type + " values, like the input, got " + out.getDataType(),
                    List.of("DTYPE_CHANGED"), shape, actual);
        }
        return (type == DataType.FLOAT32 ? out : out.toType(DataType.FLOAT32, false)).toFloatArray();
    }

    /**
     * PASS when every value is within the tolerance; otherwise FAIL with the count, the largest error,
     * where it sits, and what the diagnosis can tell.
     *
     * @param axes a name per axis of {@code shape} for reporting where; null for axes not worth naming
     */
    static CheckResult compare(CheckSpec check, float[] actual, float[] expected, List<Long> shape, Tolerance tolerance,
            List<String> axes, Diagnosis diagnosis) throws StudentFailure, WrongOutput {
        return compare(check, actual, expected, shape, tolerance, flat -> where(flat, shape, axes), diagnosis);
    }

    /**
     * The same, for a layout whose positions are not plain axes.
     *
     * @param position the position of a flat index, by name
     * @param diagnosis null to report no tags but NAN_OUTPUT
     */
    static CheckResult compare(CheckSpec check, float[] actual, float[] expected, List<Long> shape, Tolerance tolerance,
            IntFunction<Map<String, Long>> position, Diagnosis diagnosis) throws StudentFailure, WrongOutput {
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
            tags.addAll(diagnosis.tags());
        }
        if (diff.nonFinite()) {
            tags.add("NAN_OUTPUT");
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
    static List<String> agreedTags(float[] actual, float[] expected, Tolerance tolerance, List<Variant> variants) {
        return agreedTags(actual, expected, tolerance,
                variants.stream().sorted(Comparator.comparingInt(Variant::mistakes)).toList(), true);
    }

    /**
     * The tags all matching variants agree on, singles and pairs alike, tried in the order given: a pair
     * that matches by coincidence beside a single narrows the tags rather than being passed over.
     */
    static List<String> tagsAllMatchesAgreeOn(float[] actual, float[] expected, Tolerance tolerance,
            List<Variant> variants) {
        return agreedTags(actual, expected, tolerance, variants, false);
    }

    private static List<String> agreedTags(float[] actual, float[] expected, Tolerance tolerance,
            List<Variant> variants, boolean simplestFirst) {
        Set<String> agreed = null;
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
    static boolean explains(float[] variant, float[] actual, float[] expected, Tolerance tolerance) {
        return variant.length == actual.length && !Comparison.allClose(variant, expected, tolerance)
                && Comparison.hasFinite(variant) && Comparison.allClose(actual, variant, tolerance);
    }

    /**
     * A variant for each candidate alone and each pair from different groups, its output computed by
     * {@code output} when asked.
     */
    static <M extends Enum<M> & Mutation> List<Variant> variants(List<M> candidates, Function<Set<M>, float[]> output) {
        List<Variant> variants = new ArrayList<>();
        for (List<M> variant : singlesAndPairs(candidates, Mutation::group)) {
            Set<M> set = EnumSet.copyOf(variant);
            variants.add(new Variant(tags(set), set.size(), () -> output.apply(set)));
        }
        return variants;
    }

    static Set<String> tags(Set<? extends Mutation> mutations) {
        Set<String> tags = new LinkedHashSet<>();
        mutations.forEach(m -> tags.add(m.tag()));
        return tags;
    }

    /** Each candidate alone, and each pair from different groups: two mistakes at once, never two of a kind. */
    static <M> List<List<M>> singlesAndPairs(List<M> candidates, Function<M, ?> group) {
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
    static Map<String, Long> where(int flat, List<Long> shape, List<String> axes) {
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

    static String describe(Map<String, Long> where) {
        if (where == null || where.isEmpty()) {
            return "an unknown position";
        }
        StringBuilder s = new StringBuilder();
        where.forEach((axis, index) -> s.append(s.length() == 0 ? "" : ", ").append(axis).append(' ').append(index));
        return s.toString();
    }

    static CheckResult pass(CheckSpec check, String message) {
        return CheckResult.of(check, Outcome.PASS, message);
    }

    static CheckResult fail(CheckSpec check, String message, List<String> tags) {
        return CheckResult.of(check, Outcome.FAIL, message).withTags(tags, message);
    }

    /** A probe compares outputs; NaN in the unperturbed output leaves nothing to compare. */
    static CheckResult nonFinite(CheckSpec check, String what) {
        return fail(check, what + " returned NaN or infinity on the probe's input, so the probe cannot tell what moves",
                List.of("NAN_OUTPUT"));
    }

    static float[] gaussian(Random random, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (scale * random.nextGaussian());
        }
        return values;
    }

    static List<Long> dims(Shape shape) {
        List<Long> dims = new ArrayList<>();
        for (long d : shape.getShape()) {
            dims.add(d);
        }
        return dims;
    }

    static List<Long> dims(long... shape) {
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d);
        }
        return dims;
    }

    static boolean any(boolean[] values) {
        for (boolean b : values) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** A fresh folder for files a check writes (a model folder, a tokenizer); {@link #deleteTree} removes it. */
    static Path scratchFolder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch folder for the check", e);
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }

    /** The seed of one check's inputs: the run's seed and the check's id, so checks do not share numbers. */
    static Random random(long seed, CheckSpec check) {
        return new Random(seed * 1_000_003L + check.id().hashCode());
    }
}
