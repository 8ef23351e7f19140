package dev.tinyvllm.check.steps;

import static dev.tinyvllm.check.steps.Grading.dims;
import static dev.tinyvllm.check.steps.Grading.fail;
import static dev.tinyvllm.check.steps.Grading.named;
import static dev.tinyvllm.check.steps.Grading.pass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.StepGrader;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.check.steps.Grading.NamedCase;
import dev.tinyvllm.check.steps.Grading.WrongOutput;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.oracle.GqaMutation;
import dev.tinyvllm.oracle.GqaOracle;
import dev.tinyvllm.oracle.RopeMutation;
import dev.tinyvllm.oracle.RopeOracle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * week1/gqa: the causal mask for L queries over S keys (compared exactly), grouped attention against
 * libtorch's SDPA with {@code enable_gqa}, and Qwen2's attention layer against the same kernels with
 * libtorch's {@code linear}. Probes: which query heads move when one key/value head changes; whether
 * the student's own mask, used by the student's own attention, hides exactly the keys after each
 * query; whether changing the last token moves an earlier one.
 */
public final class GqaGrader implements StepGrader {

    static final String GROUPED = "week1.gqa.GroupedAttention";
    private static final String MASK_FN = "GroupedAttention.causalMask";
    private static final String ATTENTION_FN = "GroupedAttention.attention";
    private static final String LAYER_FN = "Qwen2Attention.forward";
    private static final Class<?>[] MASK_PARAMS = {NDManager.class, int.class, int.class};
    private static final Class<?>[] ATTENTION_PARAMS = {NDArray.class, NDArray.class, NDArray.class, NDArray.class};

    private static final List<String> HEAD_AXES = Arrays.asList("batch", "head", "token", null);
    private static final List<String> TOKEN_AXES = Arrays.asList("batch", "token", null);

    private enum MaskKind { NONE, CAUSAL, PADDING }

    private record MaskCase(String name, String description, int queryLen, int keyLen) implements NamedCase {}

    private record AttentionCase(String name, String description, int batch, int heads, int kvHeads, int queryLen,
            int keyLen, int dim, MaskKind mask) implements NamedCase {}

    private record LayerCase(String name, String description, int batch, int len, Qwen2Layer.Config config)
            implements NamedCase {}

    private static final List<MaskCase> MASK_CASES = List.of(
            new MaskCase("square", "3 queries over 3 keys", 3, 3),
            new MaskCase("more_keys", "3 new queries after 2 earlier tokens: 5 keys", 3, 5),
            new MaskCase("one_query", "1 new query after 3 earlier tokens: 4 keys", 1, 4));

    private static final List<AttentionCase> ATTENTION_CASES = List.of(
            new AttentionCase("grouped", "6 query heads share 2 key/value heads, 3 queries over 7 keys", 2, 6, 2, 3,
                    7, 5, MaskKind.NONE),
            new AttentionCase("causal_mask", "4 query heads over 2, 3 queries over 5 keys, a bottom-right causal mask",
                    1, 4, 2, 3, 5, 4, MaskKind.CAUSAL),
            new AttentionCase("padding_mask", "4 query heads over 1, a padding mask [batch, 1, 1, keys]", 2, 4, 1, 4,
                    4, 8, MaskKind.PADDING),
            new AttentionCase("equal_heads", "as many key/value heads as query heads: plain multi-head attention", 1,
                    3, 3, 4, 6, 4, MaskKind.NONE));

    private static final List<LayerCase> LAYER_CASES = List.of(
            new LayerCase("gqa", "hidden 32, 4 heads over 2 key/value heads, 5 tokens, theta 1e6", 2, 5,
                    new Qwen2Layer.Config(32, 4, 2, 0, 1_000_000, 1e-6f)),
            new LayerCase("mha", "hidden 16, 2 heads, 2 key/value heads, 4 tokens, theta 10000", 1, 4,
                    new Qwen2Layer.Config(16, 2, 2, 0, 10_000, 1e-6f)),
            new LayerCase("single_token", "one token, 4 heads over 1 key/value head", 2, 1,
                    new Qwen2Layer.Config(32, 4, 1, 0, 1_000_000, 1e-6f)));

    private static final String HEAD_PROBE = "kv_head_sharing";
    private static final String LEAK_PROBE = "with_your_causal_mask";
    private static final String FUTURE_PROBE = "future_tokens_ignored";

    @Override
    public String stepId() {
        return "week1/gqa";
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        checks.addAll(Grading.specs("causal_mask.", MASK_FN, MASK_CASES));
        checks.addAll(Grading.specs("attention.", ATTENTION_FN, ATTENTION_CASES));
        checks.add(new CheckSpec("attention." + HEAD_PROBE, ATTENTION_FN,
                "changing one key/value head moves exactly the query heads of its group"));
        checks.add(new CheckSpec("attention." + LEAK_PROBE, ATTENTION_FN,
                "with your causalMask(3, 6), changing the last key moves only the last query"));
        checks.addAll(Grading.specs("qwen2_attention.", LAYER_FN, LAYER_CASES));
        checks.add(new CheckSpec("qwen2_attention." + FUTURE_PROBE, LAYER_FN,
                "changing the last token moves no earlier output"));
        return checks;
    }

    @Override
    public CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        String caseName = Grading.caseName(check);
        Run run = new Run(check, code, manager, step, seed);
        return Grading.guarded(check, () -> switch (check.function()) {
            case MASK_FN -> run.maskCheck(named(MASK_CASES, caseName));
            case ATTENTION_FN -> switch (caseName) {
                case HEAD_PROBE -> run.headProbe();
                case LEAK_PROBE -> run.leakProbe();
                default -> run.attentionCheck(named(ATTENTION_CASES, caseName));
            };
            default -> caseName.equals(FUTURE_PROBE) ? run.futureProbe() : run.layerCheck(named(LAYER_CASES, caseName));
        });
    }

    /** One check's state. */
    private static final class Run extends CheckContext {

        Run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
            super(check, code, manager, step, seed);
        }

        // ---------------------------------------------------------------- causal mask

        CheckResult maskCheck(MaskCase c) throws StudentFailure, WrongOutput {
            boolean[] expected = GqaOracle.causalPattern(c.queryLen(), c.keyLen(), 0);
            boolean[] actual = studentMask(c.queryLen(), c.keyLen());
            if (Arrays.equals(actual, expected)) {
                return pass(check, "matches exactly: " + grid(actual, c.keyLen()) + " (1 = may attend)");
            }
            int row = 0;
            while (Arrays.equals(Arrays.copyOfRange(actual, row * c.keyLen(), (row + 1) * c.keyLen()),
                    Arrays.copyOfRange(expected, row * c.keyLen(), (row + 1) * c.keyLen()))) {
                row++;
            }
            return fail(check, "your mask for " + c.queryLen() + " queries over " + c.keyLen() + " keys is "
                    + grid(actual, c.keyLen()) + " (1 = may attend); row " + row + " is the first that breaks the rule",
                    maskTags(actual, c.queryLen(), c.keyLen()));
        }

        private boolean[] studentMask(int queryLen, int keyLen) throws StudentFailure, WrongOutput {
            try (NDManager scratch = manager.newSubManager()) {
                Object result = code.callStatic(GROUPED, "causalMask", MASK_PARAMS, scratch, queryLen, keyLen);
                List<Long> shape = dims(queryLen, keyLen);
                if (result instanceof NDArray mask && mask.getDataType() != DataType.BOOLEAN
                        && dims(mask.getShape()).equals(shape)) {
                    throw new WrongOutput("causalMask returned " + mask.getDataType()
                            + " values; the contract asks for BOOLEAN, true where the query may attend",
                            List.of("MASK_NOT_BOOLEAN"), shape, shape);
                }
                Grading.values(result, "causalMask", shape, DataType.BOOLEAN);
                return ((NDArray) result).toBooleanArray();
            }
        }

        /** Which known-wrong rule the mask follows, if it follows one exactly. */
        private static List<String> maskTags(boolean[] actual, int queryLen, int keyLen) {
            boolean[] truth = GqaOracle.causalPattern(queryLen, keyLen, 0);
            boolean[] inverted = new boolean[truth.length];
            for (int i = 0; i < truth.length; i++) {
                inverted[i] = !truth[i];
            }
            if (Arrays.equals(actual, inverted)) {
                return List.of("MASK_INVERTED");
            }
            if (queryLen != keyLen && Arrays.equals(actual, GqaOracle.causalPattern(queryLen, keyLen, queryLen - keyLen))) {
                return List.of("CAUSAL_TOP_LEFT");
            }
            if (Arrays.equals(actual, GqaOracle.causalPattern(queryLen, keyLen, -1))
                    || Arrays.equals(actual, GqaOracle.causalPattern(queryLen, keyLen, 1))) {
                return List.of("CAUSAL_OFF_BY_ONE");
            }
            return List.of();
        }

        private static String grid(boolean[] mask, int keyLen) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < mask.length; i++) {
                if (i > 0 && i % keyLen == 0) {
                    s.append(" / ");
                }
                s.append(mask[i] ? '1' : '0');
            }
            return s.toString();
        }

        // ---------------------------------------------------------------- grouped attention

        CheckResult attentionCheck(AttentionCase c) throws StudentFailure, WrongOutput {
            float[][] qkv = qkv(c);
            float[] expected = grouped(c, qkv);
            float[] actual = studentAttention(c, qkv);
            return Grading.compare(check, actual, expected, dims(c.batch(), c.heads(), c.queryLen(), c.dim()),
                    tolerance, HEAD_AXES, () -> {
                        List<String> tags = attentionMutants(c, qkv, actual, expected);
                        return tags.isEmpty() ? headTags() : tags;
                    });
        }

        CheckResult headProbe() throws StudentFailure, WrongOutput {
            List<String> tags = headTags();
            return tags.isEmpty()
                    ? pass(check, "changing key/value head 1 of 3 moved query heads 2 and 3 of 6, and no other")
                    : fail(check, "changing key/value head 1 of 3 should move query heads 2 and 3 of 6 and no other; it "
                            + "moved " + lastMoved, tags);
        }

        private Set<Integer> lastMoved = Set.of();

        /** Changes key/value head 1 of 3: only query heads 2 and 3 of 6 may move, and both must. */
        private List<String> headTags() throws StudentFailure, WrongOutput {
            AttentionCase c = new AttentionCase(HEAD_PROBE, "", 1, 6, 3, 2, 4, 4, MaskKind.NONE);
            float[][] qkv = qkv(c);
            float[] base = studentAttention(c, qkv);
            if (Comparison.hasNonFinite(base)) {
                return List.of();
            }
            int block = c.keyLen() * c.dim();
            for (int i = block; i < 2 * block; i++) {
                qkv[1][i] = (float) random.nextGaussian();
                qkv[2][i] = (float) random.nextGaussian();
            }
            boolean[] moved = Comparison.changed(base, studentAttention(c, qkv), tolerance);
            Set<Integer> heads = new TreeSet<>();
            int perHead = c.queryLen() * c.dim();
            for (int i = 0; i < moved.length; i++) {
                if (moved[i]) {
                    heads.add(i / perHead);
                }
            }
            lastMoved = heads;
            if (heads.equals(Set.of(2, 3))) {
                return List.of();
            }
            return heads.size() == 2 ? List.of("GROUPING_WRONG") : List.of("HEADS_MIXED");
        }

        /** The student's mask and attention together: the last key is visible to the last query only. */
        CheckResult leakProbe() throws StudentFailure, WrongOutput {
            int queryLen = 3;
            int keyLen = 6;
            AttentionCase c = new AttentionCase(LEAK_PROBE, "", 1, 2, 1, queryLen, keyLen, 4, MaskKind.CAUSAL);
            boolean[] mask = studentMask(queryLen, keyLen);
            float[][] qkv = qkv(c);
            float[] base = studentAttention(c, qkv, mask);
            if (Comparison.hasNonFinite(base)) {
                List<String> tags = new ArrayList<>(maskTags(mask, queryLen, keyLen));
                tags.add("NAN_OUTPUT");
                return fail(check, "your attention with your causalMask(3, 6) returned NaN or infinity", tags);
            }
            int last = (keyLen - 1) * c.dim();
            for (int i = last; i < last + c.dim(); i++) {
                qkv[1][i] = (float) random.nextGaussian();
                qkv[2][i] = (float) random.nextGaussian();
            }
            boolean[] moved = Comparison.changed(base, studentAttention(c, qkv, mask), tolerance);
            Set<Integer> rows = new TreeSet<>();
            for (int i = 0; i < moved.length; i++) {
                if (moved[i]) {
                    rows.add((i / c.dim()) % queryLen);
                }
            }
            if (rows.equals(Set.of(queryLen - 1))) {
                return pass(check, "changing the last key moved the last query only");
            }
            List<String> tags = maskTags(mask, queryLen, keyLen);
            if (tags.isEmpty() && Arrays.equals(mask, GqaOracle.causalPattern(queryLen, keyLen, 0)) && rows.size() > 1) {
                tags = List.of("MASK_IGNORED");
            }
            return fail(check, "with your causalMask(3, 6), changing the last key should move query 2 only (the token "
                    + "at position 5); it moved queries " + rows, tags);
        }

        private List<String> attentionMutants(AttentionCase c, float[][] qkv, float[] actual, float[] expected) {
            List<GqaMutation> candidates = new ArrayList<>();
            if (c.kvHeads() > 1 && c.kvHeads() < c.heads()) {
                candidates.add(GqaMutation.GROUPING_INTERLEAVED);
            }
            if (c.mask() != MaskKind.NONE) {
                candidates.add(GqaMutation.MASK_IGNORED);
                candidates.add(GqaMutation.MASK_INVERTED);
            }
            candidates.add(GqaMutation.SCALE_MISSING);
            return Grading.agreedTags(actual, expected, tolerance, Grading.variants(candidates, set -> oracle(scratch -> {
                NDArray[] a = arrays(c, qkv, scratch);
                return GqaOracle.groupedEager(a[0], a[1], a[2], mask(c, scratch), set);
            })));
        }

        /** libtorch's grouped attention on the case's inputs and mask. */
        private float[] grouped(AttentionCase c, float[][] qkv) {
            return oracle(scratch -> {
                NDArray[] a = arrays(c, qkv, scratch);
                return GqaOracle.grouped(a[0], a[1], a[2], mask(c, scratch));
            });
        }

        private float[][] qkv(AttentionCase c) {
            int q = c.batch() * c.heads() * c.queryLen() * c.dim();
            int kv = c.batch() * c.kvHeads() * c.keyLen() * c.dim();
            return new float[][] {Grading.gaussian(random, q, 1), Grading.gaussian(random, kv, 1),
                Grading.gaussian(random, kv, 1)};
        }

        private static NDArray[] arrays(AttentionCase c, float[][] qkv, NDManager m) {
            Shape kv = new Shape(c.batch(), c.kvHeads(), c.keyLen(), c.dim());
            return new NDArray[] {m.create(qkv[0], new Shape(c.batch(), c.heads(), c.queryLen(), c.dim())),
                m.create(qkv[1], kv), m.create(qkv[2], kv)};
        }

        private static NDArray mask(AttentionCase c, NDManager m) {
            return switch (c.mask()) {
                case NONE -> null;
                case CAUSAL -> GqaOracle.causalMask(m, c.queryLen(), c.keyLen());
                case PADDING -> {
                    // Batch row 0 has 2 real keys, row 1 all of them.
                    boolean[] attend = new boolean[c.batch() * c.keyLen()];
                    for (int b = 0; b < c.batch(); b++) {
                        for (int j = 0; j < (b == 0 ? 2 : c.keyLen()); j++) {
                            attend[b * c.keyLen() + j] = true;
                        }
                    }
                    yield m.create(attend, new Shape(c.batch(), 1, 1, c.keyLen()));
                }
            };
        }

        private float[] studentAttention(AttentionCase c, float[][] qkv) throws StudentFailure, WrongOutput {
            return studentAttention(c, qkv, null);
        }

        /** Runs the student's attention; {@code mask} overrides the case's own mask when given. */
        private float[] studentAttention(AttentionCase c, float[][] qkv, boolean[] mask)
                throws StudentFailure, WrongOutput {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray[] a = arrays(c, qkv, scratch);
                NDArray m = mask == null ? mask(c, scratch) : scratch.create(mask, new Shape(c.queryLen(), c.keyLen()));
                Object out = code.callStatic(GROUPED, "attention", ATTENTION_PARAMS, a[0], a[1], a[2], m);
                return Grading.values(out, "attention", dims(c.batch(), c.heads(), c.queryLen(), c.dim()),
                        DataType.FLOAT32);
            }
        }

        // ---------------------------------------------------------------- Qwen2 attention layer

        CheckResult layerCheck(LayerCase c) throws StudentFailure, WrongOutput {
            Qwen2Layer layer = Qwen2Layer.random(c.config(), random);
            float[] x = Grading.gaussian(random, c.batch() * c.len() * c.config().hidden(), 1);
            Shape shape = new Shape(c.batch(), c.len(), c.config().hidden());
            float[] expected = oracleLayer(layer, x, shape, EnumSet.noneOf(GqaMutation.class));
            float[] actual = studentLayer(layer, x, shape);
            return Grading.compare(check, actual, expected, dims(shape), tolerance, TOKEN_AXES,
                    () -> diagnoseLayer(layer, x, shape, actual, expected));
        }

        CheckResult futureProbe() throws StudentFailure, WrongOutput {
            List<String> tags = futureTags();
            if (tags == null) {
                return pass(check, "changing the last token moved the last output only");
            }
            return fail(check, "changing only the last token moved outputs of earlier tokens"
                    + (tags.contains("HEADS_MIXED") ? ", and changing the query weights of one head moved the output "
                            + "of another: numbers cross between heads and tokens before any mask can act" : ""), tags);
        }

        /**
         * null when only the last row moves; otherwise the tags that explain what moved. A leak is only
         * called a missing causal rule once the heads are seen to stay apart: a reshape that mixes
         * tokens and heads moves earlier rows too, and then the mask is not where to look.
         */
        private List<String> futureTags() throws StudentFailure, WrongOutput {
            Qwen2Layer layer = Qwen2Layer.random(new Qwen2Layer.Config(16, 2, 1, 0, 10_000, 1e-6f), random);
            int len = 5;
            int hidden = layer.config.hidden();
            Shape shape = new Shape(1, len, hidden);
            float[] x = Grading.gaussian(random, len * hidden, 1);
            float[] base = studentLayer(layer, x, shape);
            if (Comparison.hasNonFinite(base)) {
                return List.of("NAN_OUTPUT");
            }
            float[] changed = x.clone();
            for (int i = (len - 1) * hidden; i < len * hidden; i++) {
                changed[i] = (float) random.nextGaussian();
            }
            boolean[] moved = Comparison.changed(base, studentLayer(layer, changed, shape), tolerance);
            boolean earlier = false;
            boolean lastMoved = false;
            for (int i = 0; i < moved.length; i++) {
                if (moved[i]) {
                    earlier |= i / hidden < len - 1;
                    lastMoved |= i / hidden == len - 1;
                }
            }
            if (!earlier && lastMoved) {
                return null;
            }
            if (!earlier) {
                return List.of();
            }
            return headsStayApart() ? List.of("CAUSAL_MISSING") : List.of("HEADS_MIXED");
        }

        /**
         * With an identity output projection, each head's output is its own slice of the result: changing
         * the query weights of head 1 may move that slice and nothing else.
         */
        private boolean headsStayApart() throws StudentFailure, WrongOutput {
            Qwen2Layer layer = Qwen2Layer.random(new Qwen2Layer.Config(16, 2, 1, 0, 10_000, 1e-6f), random);
            int hidden = layer.config.hidden();
            int dim = layer.config.headDim();
            Arrays.fill(layer.wo, 0f);
            for (int i = 0; i < hidden; i++) {
                layer.wo[i * hidden + i] = 1f;
            }
            Shape shape = new Shape(1, 4, hidden);
            float[] x = Grading.gaussian(random, (int) shape.size(), 1);
            float[] base = studentLayer(layer, x, shape);
            for (int i = dim * hidden; i < 2 * dim * hidden; i++) {
                layer.wq[i] = (float) random.nextGaussian();
            }
            for (int i = dim; i < 2 * dim; i++) {
                layer.bq[i] = (float) random.nextGaussian();
            }
            boolean[] moved = Comparison.changed(base, studentLayer(layer, x, shape), tolerance);
            for (int i = 0; i < moved.length; i++) {
                if (moved[i] && i % hidden < dim) {
                    return false;
                }
            }
            return true;
        }

        private List<String> diagnoseLayer(Qwen2Layer layer, float[] x, Shape shape, float[] actual, float[] expected)
                throws StudentFailure, WrongOutput {
            List<GqaMutation> candidates = new ArrayList<>(List.of(GqaMutation.BIAS_MISSING, GqaMutation.ROPE_ON_V,
                    GqaMutation.ROPE_MISSING, GqaMutation.ROPE_INTERLEAVED, GqaMutation.CAUSAL_MISSING,
                    GqaMutation.MASK_INVERTED, GqaMutation.SCALE_MISSING));
            if (layer.config.kvHeads() > 1 && layer.config.kvHeads() < layer.config.heads()) {
                candidates.add(GqaMutation.GROUPING_INTERLEAVED);
            }
            List<String> tags = Grading.agreedTags(actual, expected, tolerance,
                    Grading.variants(candidates, set -> oracleLayer(layer, x, shape, set)));
            if (!tags.isEmpty()) {
                return tags;
            }
            List<String> parts = diverging(layer.config);
            if (!parts.isEmpty()) {
                return parts;
            }
            List<String> future = futureTags();
            return future == null ? List.of() : future;
        }

        /** The student's own parts on inputs of this layer's sizes: which one already differs from the oracle. */
        private List<String> diverging(Qwen2Layer.Config config) throws StudentFailure, WrongOutput {
            int dim = config.headDim();
            Shape shape = new Shape(1, 4, config.heads(), dim);
            float[] x = Grading.gaussian(random, (int) shape.size(), 1);
            try (NDManager scratch = manager.newSubManager()) {
                float[] expected = RopeOracle.apply(scratch.create(x, shape), config.theta(), false, 0,
                        EnumSet.noneOf(RopeMutation.class)).toFloatArray();
                Object rope = code.construct(RopeGrader.CLASS, RopeGrader.CONSTRUCTOR, scratch, dim,
                        Qwen2Layer.MAX_SEQ_LEN, config.theta(), false);
                float[] actual = Grading.values(code.invoke(rope, "apply", RopeGrader.APPLY, scratch.create(x, shape), 0),
                        "RoPE.apply", dims(shape), DataType.FLOAT32);
                if (!Comparison.allClose(actual, expected, tolerance)) {
                    return List.of("ROPE_DIVERGES");
                }
            }
            AttentionCase c = new AttentionCase("part", "", 1, config.heads(), config.kvHeads(), 4, 4, dim,
                    MaskKind.CAUSAL);
            float[][] qkv = qkv(c);
            float[] expected = grouped(c, qkv);
            if (!Comparison.allClose(studentAttention(c, qkv), expected, tolerance)) {
                return List.of("GROUPED_ATTENTION_DIVERGES");
            }
            return List.of();
        }

        private float[] oracleLayer(Qwen2Layer layer, float[] x, Shape shape, Set<GqaMutation> mutations) {
            return oracle(scratch -> GqaOracle.qwen2Attention(scratch.create(x, shape), layer.oracleAttention(scratch),
                    mutations));
        }

        private float[] studentLayer(Qwen2Layer layer, float[] x, Shape shape) throws StudentFailure, WrongOutput {
            try (NDManager scratch = manager.newSubManager()) {
                Object attention = layer.studentAttention(code, scratch);
                Object out = code.invoke(attention, "forward", Qwen2Layer.FORWARD, scratch.create(x, shape));
                return Grading.values(out, "Qwen2Attention.forward", dims(shape), DataType.FLOAT32);
            }
        }
    }
}
