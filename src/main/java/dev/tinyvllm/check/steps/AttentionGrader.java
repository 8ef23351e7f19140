package dev.tinyvllm.check.steps;

import static dev.tinyvllm.check.steps.Grading.any;
import static dev.tinyvllm.check.steps.Grading.dims;
import static dev.tinyvllm.check.steps.Grading.fail;
import static dev.tinyvllm.check.steps.Grading.pass;

import ai.djl.Device;
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
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.oracle.AttentionMutation;
import dev.tinyvllm.oracle.AttentionOracle;
import dev.tinyvllm.torch.FusedKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * week1/attention: six functions, each checked on a few shapes against libtorch, plus a probe of
 * the property that defines it (padding ignored, the future invisible, sequences independent).
 *
 * <p>A failing check is diagnosed two ways. Mutants: the output is compared with known-wrong variants
 * of the oracle, alone and in pairs; the tags all matching variants agree on are reported. Probes:
 * when no variant matches, the student's function is run again on perturbed inputs, and what moves
 * tells which rule is broken. Position probes are only trusted once a heads probe shows that heads
 * stay apart, so a layout bug is never reported as a masking bug.
 */
public final class AttentionGrader implements StepGrader {

    private enum Kind { EAGER, SDPA, FLASH }

    private record Fn(String method, Kind kind, boolean causal) {
        String checkPrefix() {
            return method.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }

        boolean packed() {
            return kind == Kind.FLASH;
        }
    }

    /**
     * The inputs of one run. Padded: q, k, v {@code [batch, len, heads*dim]}, {@code lengths} the valid
     * keys per batch row (null: no mask). Packed: q, k, v {@code [tokens, heads*dim]}, {@code lengths}
     * the sequence lengths.
     */
    private record Inputs(boolean packed, int heads, int dim, int batch, int len, int[] lengths,
            float[] q, float[] k, float[] v) {

        int width() {
            return heads * dim;
        }

        int rows() {
            return packed ? total(lengths) : batch * len;
        }

        Inputs with(float[] nq, float[] nk, float[] nv) {
            return new Inputs(packed, heads, dim, batch, len, lengths, nq, nk, nv);
        }

        int[] cu() {
            int[] cu = new int[lengths.length + 1];
            for (int i = 0; i < lengths.length; i++) {
                cu[i + 1] = cu[i] + lengths[i];
            }
            return cu;
        }

        /** Sequence (packed) or batch row (padded) of a flat row index, and the token within it. */
        int[] locate(int row) {
            if (!packed) {
                return new int[] {row / len, row % len};
            }
            int[] cu = cu();
            int s = 0;
            while (row >= cu[s + 1]) {
                s++;
            }
            return new int[] {s, row - cu[s]};
        }
    }

    private record Case(String name, String description, int batch, int len, int heads, int dim, int[] lengths)
            implements NamedCase {}

    private static final List<Fn> FUNCTIONS = List.of(
            new Fn("eagerBidirectional", Kind.EAGER, false),
            new Fn("eagerCausal", Kind.EAGER, true),
            new Fn("sdpaBidirectional", Kind.SDPA, false),
            new Fn("sdpaCausal", Kind.SDPA, true),
            new Fn("flashBidirectional", Kind.FLASH, false),
            new Fn("flashCausal", Kind.FLASH, true));

    // Every padded batch row keeps at least one valid and one padded key: an inverted mask then
    // changes the result without leaving a row with nothing to attend to.
    private static final List<Case> PADDED_CASES = List.of(
            new Case("no_mask", "odd sizes, no mask", 2, 7, 3, 5, null),
            new Case("padding_mask", "padding mask, rows of 1, 4 and 5 valid tokens", 3, 6, 2, 4, new int[] {1, 4, 5}),
            new Case("batch_1", "batch of one, with a padding mask", 1, 5, 4, 8, new int[] {3}));

    private static final List<Case> PACKED_CASES = List.of(
            new Case("ragged", "ragged lengths 1, 5 and 16 in one batch", 0, 0, 2, 8, new int[] {1, 5, 16}),
            new Case("equal_lengths", "three sequences of 4 tokens", 0, 0, 3, 5, new int[] {4, 4, 4}),
            new Case("single_sequence", "one sequence of 9 tokens", 0, 0, 4, 4, new int[] {9}));

    private static final String PADDING_PROBE = "padded_keys_ignored";
    private static final String FUTURE_PROBE = "future_tokens_ignored";
    private static final String SEQUENCE_PROBE = "sequences_independent";
    private static final String CUDA_CHECK = "cuda";

    private static final Class<?>[] PADDED_PARAMS =
            {NDArray.class, NDArray.class, NDArray.class, int.class, int.class, NDArray.class};
    private static final Class<?>[] PACKED_PARAMS =
            {NDArray.class, NDArray.class, NDArray.class, int.class, int.class, NDArray.class, int.class};

    @Override
    public String stepId() {
        return "week1/attention";
    }

    @Override
    public void warmUp(NDManager manager) {
        NDArray x = manager.ones(new Shape(1, 1, 2, 2));
        FusedKernels.sdpa(x, x, x, null, true);
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        for (Fn fn : FUNCTIONS) {
            String p = fn.checkPrefix() + ".";
            checks.addAll(Grading.specs(p, fn.method(), fn.packed() ? PACKED_CASES : PADDED_CASES));
            if (fn.packed()) {
                checks.add(new CheckSpec(p + SEQUENCE_PROBE, fn.method(),
                        "changing one sequence moves no other sequence"));
                checks.add(new CheckSpec(p + CUDA_CHECK, fn.method(),
                        "libtorch's flash kernel on CUDA, ragged lengths, bfloat16"));
            } else if (fn.causal()) {
                checks.add(new CheckSpec(p + FUTURE_PROBE, fn.method(),
                        "changing the last token moves no earlier output"));
            } else {
                checks.add(new CheckSpec(p + PADDING_PROBE, fn.method(),
                        "changing padded keys moves no output"));
            }
        }
        return checks;
    }

    @Override
    public CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        Fn fn = FUNCTIONS.stream().filter(f -> f.method().equals(check.function())).findFirst().orElseThrow();
        String caseName = Grading.caseName(check);
        Run run = new Run(check, fn, code, manager, step, seed);
        return Grading.guarded(check, () -> switch (caseName) {
            case PADDING_PROBE -> run.paddingProbeCheck();
            case FUTURE_PROBE -> run.futureProbeCheck();
            case SEQUENCE_PROBE -> run.sequenceProbeCheck();
            case CUDA_CHECK -> run.cudaCheck(step.cudaTolerance());
            default -> run.valueCheck(Grading.named(fn.packed() ? PACKED_CASES : PADDED_CASES, caseName));
        });
    }

    /** One check's state: the function, the student's code, and where arrays live. */
    private static final class Run extends CheckContext {
        private final Fn fn;
        private Device device = Device.cpu();

        Run(CheckSpec check, Fn fn, StudentCode code, NDManager manager, Step step, long seed) {
            super(check, code, manager, step, seed);
            this.fn = fn;
        }

        // ---------------------------------------------------------------- checks

        CheckResult valueCheck(Case c) throws StudentFailure, WrongOutput {
            Inputs in = inputs(c);
            float[] expected = oracle(in);
            float[] actual = student(in);
            return compare(in, actual, expected, tolerance, true);
        }

        CheckResult paddingProbeCheck() throws StudentFailure, WrongOutput {
            Inputs in = inputs(new Case(PADDING_PROBE, "", 2, 6, 2, 4, new int[] {3, 5}));
            float[] base = student(in);
            if (Comparison.hasNonFinite(base)) {
                return Grading.nonFinite(check, fn.method());
            }
            boolean moved = any(Comparison.changed(base, student(perturbKeys(in, true)), tolerance));
            if (!moved) {
                return pass(check, "changing the keys and values at padded positions moved no output");
            }
            List<String> tags = headsProbe();
            if (tags.isEmpty()) {
                tags = maskProbe(in, base);
            }
            return fail(check, "changing only the keys and values at padded positions (mask false) moved the output",
                    tags);
        }

        CheckResult futureProbeCheck() throws StudentFailure, WrongOutput {
            Inputs in = inputs(new Case(FUTURE_PROBE, "", 2, 6, 2, 4, null));
            float[] base = student(in);
            if (Comparison.hasNonFinite(base)) {
                return Grading.nonFinite(check, fn.method());
            }
            List<String> tags = causalProbe(in, base);
            if (tags.isEmpty()) {
                return pass(check, "changing the last token moved no earlier output, and moved the last one");
            }
            List<String> heads = headsProbe();
            return fail(check, "changing the keys and values of the last token "
                    + (tags.contains("CAUSAL_OFF_BY_ONE") && !tags.contains("CAUSAL_MISSING")
                            ? "showed a one-position slip in which tokens are visible"
                            : "moved outputs of earlier tokens"),
                    heads.isEmpty() ? tags : heads);
        }

        CheckResult sequenceProbeCheck() throws StudentFailure, WrongOutput {
            Inputs in = inputs(new Case(SEQUENCE_PROBE, "", 0, 0, 2, 4, new int[] {3, 6, 4}));
            float[] base = student(in);
            if (Comparison.hasNonFinite(base)) {
                return Grading.nonFinite(check, fn.method());
            }
            if (varlenProbe(in, base).isEmpty()) {
                return pass(check, "changing sequence 1 moved no token of sequences 0 and 2");
            }
            List<String> heads = headsProbe();
            return fail(check, "changing only sequence 1 moved tokens of another sequence",
                    heads.isEmpty() ? List.of("VARLEN_CROSSES_SEQUENCES") : heads);
        }

        CheckResult cudaCheck(Tolerance cudaTolerance) throws StudentFailure, WrongOutput {
            if (!FusedKernels.cudaAvailable()) {
                return CheckResult.of(check, Outcome.SKIPPED,
                        "no CUDA device: libtorch sees no GPU, and its flash kernel runs only on CUDA "
                                + "(the CPU checks above run the same contract through per-sequence SDPA)");
            }
            device = Device.gpu();
            Inputs in = inputs(PACKED_CASES.get(0));
            float[] expected;
            try (NDManager gpu = manager.newSubManager(device)) {
                NDArray[] qkv = arrays(in, gpu);
                expected = AttentionOracle.flashCuda(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(),
                        gpu.create(in.cu()), max(in.lengths()), fn.causal()).toFloatArray();
            }
            float[] actual = student(in);
            return compare(in, actual, expected, cudaTolerance, false);
        }

        // ---------------------------------------------------------------- comparing and diagnosing

        private CheckResult compare(Inputs in, float[] actual, float[] expected, Tolerance tol, boolean diagnose)
                throws StudentFailure, WrongOutput {
            return Grading.compare(check, actual, expected, outputShape(in), tol, flat -> where(in, flat),
                    diagnose ? () -> diagnose(in, actual, expected) : null);
        }

        private List<String> diagnose(Inputs in, float[] actual, float[] expected) throws StudentFailure, WrongOutput {
            List<String> fromMutants = matchMutants(in, actual, expected);
            if (!fromMutants.isEmpty()) {
                return fromMutants;
            }
            List<String> heads = headsProbe();
            if (!heads.isEmpty()) {
                return heads;
            }
            Set<String> tags = new LinkedHashSet<>();
            if (fn.causal()) {
                Inputs probe = fn.packed()
                        ? inputs(new Case(FUTURE_PROBE, "", 0, 0, 2, 4, new int[] {6, 5}))
                        : inputs(new Case(FUTURE_PROBE, "", 2, 6, 2, 4, null));
                tags.addAll(causalProbe(probe, student(probe)));
            }
            if (!in.packed() && in.lengths() != null) {
                tags.addAll(maskProbe(in, actual));
            }
            if (in.packed() && in.lengths().length > 1) {
                tags.addAll(varlenProbe(in, actual));
            }
            return List.copyOf(tags);
        }

        /**
         * The tags every mutant matching the output agrees on. Mutants that equal the correct result on
         * these inputs prove nothing and are left out.
         */
        private List<String> matchMutants(Inputs in, float[] actual, float[] expected) {
            List<AttentionMutation> candidates = Arrays.stream(AttentionMutation.values()).filter(m -> applies(m, in))
                    .toList();
            try (NDManager scratch = manager.newSubManager()) {
                NDArray[] qkv = arrays(in, scratch);
                NDArray mask = in.packed() ? null : mask(in, scratch);
                return Grading.tagsAllMatchesAgreeOn(actual, expected, tolerance, Grading.variants(candidates,
                        variant -> (in.packed()
                                ? AttentionOracle.varlenEager(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), in.cu(),
                                        fn.causal(), variant)
                                : AttentionOracle.eager(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), mask,
                                        fn.causal(), variant)).toFloatArray()));
            }
        }

        private boolean applies(AttentionMutation m, Inputs in) {
            return switch (m.group()) {
                case SCALE -> true;
                case MASK -> !in.packed() && in.lengths() != null;
                case CAUSAL -> fn.causal();
                case SPLIT, MERGE -> !in.packed() && in.heads() > 1;
                case SOFTMAX -> fn.kind() == Kind.EAGER;
                case VARLEN -> in.packed() && in.lengths().length > 1;
            };
        }

        /**
         * Perturbs one head's features at every position: only that head's output columns may move.
         * A second perturbation of the first {@code len*dim} values of each row block, the slice a
         * reshape without transpose takes as head 0, tells a split bug from a merge bug.
         */
        private List<String> headsProbe() throws StudentFailure, WrongOutput {
            Inputs in = fn.packed()
                    ? inputs(new Case("heads", "", 0, 0, 3, 4, new int[] {6}))
                    : inputs(new Case("heads", "", 1, 6, 3, 4, null));
            float[] base = student(in);
            if (Comparison.hasNonFinite(base)) {
                return List.of(); // what moves in a NaN output tells nothing
            }
            int width = in.width();
            int block = in.rows() * in.dim();
            boolean[] byColumn = Comparison.changed(base, student(perturb(in, i -> i % width < in.dim())), tolerance);
            boolean crossed = false;
            boolean insideFirstBlock = true;
            for (int i = 0; i < byColumn.length; i++) {
                if (byColumn[i]) {
                    crossed |= i % width >= in.dim();
                    insideFirstBlock &= i < block;
                }
            }
            if (!crossed) {
                return List.of();
            }
            boolean[] byBlock = Comparison.changed(base, student(perturb(in, i -> i < block)), tolerance);
            boolean onlyFirstHead = any(byBlock);
            for (int i = 0; i < byBlock.length; i++) {
                onlyFirstHead &= !byBlock[i] || i % width < in.dim();
            }
            if (onlyFirstHead && !fn.packed()) {
                return List.of("HEADS_NOT_TRANSPOSED");
            }
            if (insideFirstBlock && !fn.packed()) {
                return List.of("HEADS_MERGED_WRONG");
            }
            return List.of("HEADS_MIXED");
        }

        /** Perturbs the last token's key and value: earlier rows must not move, the last must. */
        private List<String> causalProbe(Inputs in, float[] base) throws StudentFailure, WrongOutput {
            if (Comparison.hasNonFinite(base)) {
                return List.of();
            }
            int width = in.width();
            int[] ends = sequenceEnds(in);
            boolean[] lastRows = new boolean[in.rows()];
            for (int end : ends) {
                lastRows[end - 1] = true;
            }
            boolean[] moved = Comparison.changed(base, student(perturbRows(in, lastRows, false)), tolerance);
            boolean farLeak = false;
            boolean nearLeak = false;
            boolean selfSeen = false;
            for (int i = 0; i < moved.length; i++) {
                if (!moved[i]) {
                    continue;
                }
                int row = i / width;
                int end = endOf(ends, row);
                if (row == end - 1) {
                    selfSeen = true;
                } else if (row == end - 2) {
                    nearLeak = true;
                } else {
                    farLeak = true;
                }
            }
            if (farLeak) {
                return List.of("CAUSAL_MISSING");
            }
            if (nearLeak || !selfSeen) {
                return List.of("CAUSAL_OFF_BY_ONE");
            }
            return List.of();
        }

        /** Perturbs keys at padded positions (must not matter), then at valid ones (must). */
        private List<String> maskProbe(Inputs in, float[] base) throws StudentFailure, WrongOutput {
            if (Comparison.hasNonFinite(base)) {
                return List.of();
            }
            boolean paddedMatter = any(Comparison.changed(base, student(perturbKeys(in, true)), tolerance));
            if (!paddedMatter) {
                return List.of();
            }
            boolean validMatter = any(Comparison.changed(base, student(perturbKeys(in, false)), tolerance));
            return List.of(validMatter ? "MASK_IGNORED" : "MASK_INVERTED");
        }

        /** Perturbs every token of sequence 1: no token of another sequence may move. */
        private List<String> varlenProbe(Inputs in, float[] base) throws StudentFailure, WrongOutput {
            if (Comparison.hasNonFinite(base)) {
                return List.of();
            }
            int[] cu = in.cu();
            boolean[] rows = new boolean[in.rows()];
            for (int r = cu[1]; r < cu[2]; r++) {
                rows[r] = true;
            }
            boolean[] moved = Comparison.changed(base, student(perturbRows(in, rows, true)), tolerance);
            int width = in.width();
            for (int i = 0; i < moved.length; i++) {
                if (moved[i] && !rows[i / width]) {
                    return List.of("VARLEN_CROSSES_SEQUENCES");
                }
            }
            return List.of();
        }

        // ---------------------------------------------------------------- running code

        private float[] oracle(Inputs in) {
            return oracle(scratch -> {
                NDArray[] qkv = arrays(in, scratch);
                return switch (fn.kind()) {
                    case EAGER -> AttentionOracle.eager(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(),
                            mask(in, scratch), fn.causal(), Set.of());
                    case SDPA -> AttentionOracle.sdpa(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(),
                            mask(in, scratch), fn.causal());
                    case FLASH -> AttentionOracle.varlen(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), in.cu(),
                            fn.causal());
                };
            });
        }

        /** Runs the student's function on fresh copies of the inputs and returns its values. */
        private float[] student(Inputs in) throws StudentFailure, WrongOutput {
            try (NDManager scratch = manager.newSubManager(device)) {
                NDArray[] qkv = arrays(in, scratch);
                Object result = fn.packed()
                        ? code.call(fn.method(), PACKED_PARAMS, qkv[0], qkv[1], qkv[2], in.heads(), in.dim(),
                                scratch.create(in.cu()), max(in.lengths()))
                        : code.call(fn.method(), PADDED_PARAMS, qkv[0], qkv[1], qkv[2], in.heads(), in.dim(),
                                mask(in, scratch));
                return values(result, in);
            }
        }

        private float[] values(Object result, Inputs in) throws WrongOutput {
            List<Long> expected = outputShape(in);
            if (result == null) {
                throw new WrongOutput(fn.method() + " returned null; expected an NDArray of shape " + expected,
                        List.of("SHAPE_MISMATCH"), expected, null);
            }
            NDArray out = (NDArray) result;
            List<Long> actual = dims(out.getShape());
            if (!actual.equals(expected)) {
                long count = out.getShape().size();
                String hint = count == in.rows() * (long) in.width()
                        ? " (the same number of values, arranged in a different shape)" : "";
                throw new WrongOutput("expected shape " + expected + ", got " + actual + hint,
                        List.of("SHAPE_MISMATCH"), expected, actual);
            }
            if (out.getDataType() != DataType.FLOAT32) {
                throw new WrongOutput("expected float32 values, got " + out.getDataType(), List.of(), expected,
                        actual);
            }
            return out.toFloatArray();
        }

        // ---------------------------------------------------------------- inputs

        private Inputs inputs(Case c) {
            int rows = c.batch() == 0 ? total(c.lengths()) : c.batch() * c.len();
            int n = rows * c.heads() * c.dim();
            return new Inputs(c.batch() == 0, c.heads(), c.dim(), c.batch(), c.len(), c.lengths(),
                    Grading.gaussian(random, n, 1), Grading.gaussian(random, n, 1), Grading.gaussian(random, n, 1));
        }

        private NDArray[] arrays(Inputs in, NDManager m) {
            Shape shape = in.packed() ? new Shape(in.rows(), in.width()) : new Shape(in.batch(), in.len(), in.width());
            return new NDArray[] {m.create(in.q(), shape), m.create(in.k(), shape), m.create(in.v(), shape)};
        }

        private static NDArray mask(Inputs in, NDManager m) {
            if (in.lengths() == null) {
                return null;
            }
            boolean[] attend = new boolean[in.batch() * in.len()];
            for (int b = 0; b < in.batch(); b++) {
                for (int t = 0; t < in.lengths()[b]; t++) {
                    attend[b * in.len() + t] = true;
                }
            }
            return m.create(attend, new Shape(in.batch(), in.len()));
        }

        /** New q, k and v where the selected flat positions get fresh random values. */
        private Inputs perturb(Inputs in, java.util.function.IntPredicate at) {
            float[] q = in.q().clone();
            float[] k = in.k().clone();
            float[] v = in.v().clone();
            for (int i = 0; i < q.length; i++) {
                if (at.test(i)) {
                    q[i] = (float) random.nextGaussian();
                    k[i] = (float) random.nextGaussian();
                    v[i] = (float) random.nextGaussian();
                }
            }
            return in.with(q, k, v);
        }

        /** New keys and values (and queries too, when asked) on the selected rows. */
        private Inputs perturbRows(Inputs in, boolean[] rows, boolean queriesToo) {
            float[] q = in.q().clone();
            float[] k = in.k().clone();
            float[] v = in.v().clone();
            int width = in.width();
            for (int i = 0; i < k.length; i++) {
                if (rows[i / width]) {
                    if (queriesToo) {
                        q[i] = (float) random.nextGaussian();
                    }
                    k[i] = (float) random.nextGaussian();
                    v[i] = (float) random.nextGaussian();
                }
            }
            return in.with(q, k, v);
        }

        /** New keys and values on the padded rows (or on the valid ones). */
        private Inputs perturbKeys(Inputs in, boolean padded) {
            boolean[] rows = new boolean[in.rows()];
            for (int r = 0; r < rows.length; r++) {
                boolean isPadding = r % in.len() >= in.lengths()[r / in.len()];
                rows[r] = isPadding == padded;
            }
            return perturbRows(in, rows, false);
        }

        private static int[] sequenceEnds(Inputs in) {
            if (in.packed()) {
                int[] cu = in.cu();
                return java.util.Arrays.copyOfRange(cu, 1, cu.length);
            }
            int[] ends = new int[in.batch()];
            for (int b = 0; b < in.batch(); b++) {
                ends[b] = (b + 1) * in.len();
            }
            return ends;
        }

        private static int endOf(int[] ends, int row) {
            for (int end : ends) {
                if (row < end) {
                    return end;
                }
            }
            throw new IllegalArgumentException("row " + row + " past the last sequence");
        }

        // ---------------------------------------------------------------- reporting

        private List<Long> outputShape(Inputs in) {
            return in.packed() ? List.of((long) in.rows(), (long) in.width())
                    : List.of((long) in.batch(), (long) in.len(), (long) in.width());
        }

        private static Map<String, Long> where(Inputs in, int flat) {
            int row = flat / in.width();
            int[] at = in.locate(row);
            Map<String, Long> where = new LinkedHashMap<>();
            where.put(in.packed() ? "sequence" : "batch", (long) at[0]);
            where.put("token", (long) at[1]);
            where.put("head", (long) (flat % in.width()) / in.dim());
            return where;
        }
    }

    private static int total(int[] lengths) {
        int sum = 0;
        for (int l : lengths) {
            sum += l;
        }
        return sum;
    }

    private static int max(int[] lengths) {
        int m = 0;
        for (int l : lengths) {
            m = Math.max(m, l);
        }
        return m;
    }
}
