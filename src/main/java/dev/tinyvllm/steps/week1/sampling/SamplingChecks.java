package dev.tinyvllm.steps.week1.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CommonTag;
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
 * week1/sampling: the distribution a sampler draws from is compared exactly on crafted logits (ties at
 * the top-k boundary, a top-p boundary between two tokens, a tie for the greedy pick) and on random
 * ones. The draws are checked for what can be checked about randomness with a fixed seed: the same
 * seed repeats them, another seed changes them, and against the student's own probabilities (so a
 * filter mistake is reported once, where it is), filtered tokens never appear and the counts of
 * 1500 draws pass a chi-square test at a false-alarm rate of 1e-6.
 */
public final class SamplingChecks implements StepChecks {

    private static final String PROBS_FN = "Sampler.probabilities";
    private static final String SAMPLE_FN = "Sampler.sample";
    private static final int DRAWS = 1500;

    /** A sampler's settings and, when crafted, its logits (null: random ones). */
    private record Case(String name, String description, double temperature, int topK, double topP, float[] logits) {}

    /** Logits whose probabilities are 0.05, 0.5, 0.1, 0.3 and 0.05. */
    private static final float[] FIVE = logs(0.05, 0.5, 0.1, 0.3, 0.05);
    /** Two tokens tied for the largest logit (1 and 3). */
    private static final float[] TIED_MAX = {1, 3, 0, 3, 2, -1};

    private static final List<Case> PROBABILITY_CASES = List.of(
            new Case("plain", "temperature 1, no filter: the softmax of the logits", 1, 0, 1, null),
            new Case("temperature", "temperature 0.6 sharpens the distribution", 0.6, 0, 1, null),
            new Case("greedy", "temperature 0 with two tokens tied for the largest logit", 0, 0, 1, TIED_MAX),
            new Case("top_k_ties", "top-k 3 where the 3rd and 4th largest logits are equal",
                    1, 3, 1, new float[] {2, 1, 3, 1, 0.5f, -1, 0}),
            new Case("top_p", "top-p 0.75 over probabilities 0.05, 0.5, 0.1, 0.3, 0.05", 1, 0, 0.75, FIVE),
            new Case("top_p_one_token", "top-p 0.3, below the largest probability 0.5", 1, 0, 0.3, FIVE),
            new Case("temperature_then_top_p", "temperature 0.5, then top-p 0.6 over probabilities 0.5, 0.3, 0.15, 0.05",
                    0.5, 0, 0.6, logs(0.5, 0.3, 0.15, 0.05)),
            new Case("top_k_then_top_p", "top-k 2, then top-p 0.5 over what top-k kept", 1, 2, 0.5,
                    logs(0.4, 0.3, 0.09, 0.08, 0.07, 0.06)),
            new Case("all_filters", "temperature 0.7, top-k 5, top-p 0.8 together", 0.7, 5, 0.8, null));

    public SamplingChecks() {}

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (Case c : PROBABILITY_CASES) {
            checks.add(Check.of("probabilities." + c.name(), PROBS_FN, c.description(),
                    ctx -> new Run(ctx).probabilityCheck(c)));
        }
        checks.add(Check.of("sample.greedy", SAMPLE_FN,
                "temperature 0 draws the first of the tied largest logits, every time", ctx -> new Run(ctx).greedyDraws()));
        checks.add(Check.of("sample.reproducible", SAMPLE_FN,
                "the same seed repeats the draws, another seed changes them", ctx -> new Run(ctx).reproducible()));
        checks.add(Check.of("sample.distribution", SAMPLE_FN, DRAWS + " draws at temperature 0.8 follow your probabilities",
                ctx -> new Run(ctx).drawsFollow(new Case("distribution", "", 0.8, 0, 1, null), 6)));
        checks.add(Check.of("sample.filtered", SAMPLE_FN,
                DRAWS + " draws with top-k 4 and top-p 0.85: never a filtered token, the rest as your probabilities say",
                ctx -> new Run(ctx).drawsFollow(new Case("filtered", "", 1.2, 4, 0.85, null), 8)));
        return List.copyOf(checks);
    }

    @Override
    public Class<SamplingTag> tags() {
        return SamplingTag.class;
    }

    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.of(CommonTag.NAN_OUTPUT, CommonTag.SHAPE_MISMATCH, CommonTag.DTYPE_CHANGED);
    }

    /**
     * The sampling oracle needs no TorchScript; the layer kernels are warmed as every layer step's are,
     * so libtorch itself is loaded before the first check's clock starts.
     */
    @Override
    public void warmUp(NDManager manager) {
        LayerKernels.silu(manager.ones(new Shape(1, 2)));
    }

    private static float[] logs(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    /**
     * The chi-square value a correct sampler exceeds with probability 1e-6, by the Wilson-Hilferty
     * approximation: tight enough to catch a skewed draw, loose enough never to flag a correct one.
     */
    static double chiSquareLimit(int degreesOfFreedom) {
        double z = 4.753;
        double k = degreesOfFreedom;
        double c = 2 / (9 * k);
        return k * Math.pow(1 - c + z * Math.sqrt(c), 3);
    }

    /** One check: its context and the seed its samplers get. */
    private static final class Run {
        private final CheckContext ctx;
        private final long samplerSeed;

        Run(CheckContext ctx) {
            this.ctx = ctx;
            // Drawn first, before any input, so that every check's numbers stay as they were.
            this.samplerSeed = ctx.random().nextLong();
        }

        CheckResult probabilityCheck(Case c) {
            float[] logits = c.logits() != null ? c.logits() : Grading.gaussian(ctx.random(), 12, 1.5);
            float[] expected = oracle(c, logits, EnumSet.noneOf(SamplingMutation.class));
            float[] actual = studentProbabilities(c, logits);
            CheckResult result = Grading.compare(ctx.check().spec(), actual, expected, Grading.dims(logits.length),
                    ctx.tolerance(), List.of("token"), () -> mutantTags(c, logits, actual, expected));
            if (result.status() != Outcome.PASS) {
                return result;
            }
            // Within the tolerance is not enough at 0: a filtered token must never be drawn at all.
            for (int i = 0; i < expected.length; i++) {
                if ((expected[i] == 0) != (actual[i] == 0)) {
                    return ctx.fail(String.format(Locale.ROOT, "token %d should have probability %s, yours has %.3g: "
                            + "a filtered token gets exactly 0, and a kept one never does", i,
                            expected[i] == 0 ? "exactly 0" : "above 0", actual[i]));
                }
            }
            return result;
        }

        /** Greedy mistakes only where the case is greedy, filter mistakes only where it is not. */
        private List<Tag> mutantTags(Case c, float[] logits, float[] actual, float[] expected) {
            List<SamplingMutation> candidates = Arrays.stream(SamplingMutation.values())
                    .filter(m -> (c.temperature() == 0) == (m.group() == SamplingMutation.Group.GREEDY)).toList();
            return Grading.agreedTags(actual, expected, ctx.tolerance(),
                    Grading.variants(candidates, set -> oracle(c, logits, set)));
        }

        CheckResult greedyDraws() {
            int[] draws = draws(new Case("greedy", "", 0, 0, 1, TIED_MAX), TIED_MAX, samplerSeed, 20);
            if (Arrays.stream(draws).allMatch(d -> d == 1)) {
                return ctx.pass("20 draws at temperature 0 all picked token 1, the first of the two largest logits");
            }
            boolean lastTie = Arrays.stream(draws).allMatch(d -> d == 3);
            return ctx.fail("at temperature 0 every draw must pick token 1 (the first of tokens 1 and 3, tied for "
                    + "the largest logit); yours drew " + Arrays.toString(Arrays.copyOf(draws, 10)) + "...",
                    lastTie ? SamplingTag.GREEDY_TIE : SamplingTag.GREEDY_NOT_ARGMAX);
        }

        CheckResult reproducible() {
            Case c = new Case("reproducible", "", 1, 0, 1, null);
            float[] logits = Grading.gaussian(ctx.random(), 8, 0.5);
            int[] first = draws(c, logits, samplerSeed, 200);
            int[] again = draws(c, logits, samplerSeed, 200);
            if (!Arrays.equals(first, again)) {
                return ctx.fail("two samplers made with the same seed drew different tokens", SamplingTag.SEED_IGNORED);
            }
            int[] other = draws(c, logits, samplerSeed + 1, 200);
            if (Arrays.equals(first, other)) {
                return ctx.fail("samplers made with different seeds drew the same 200 tokens from 8 nearly equally "
                        + "likely ones", SamplingTag.SEED_IGNORED);
            }
            return ctx.pass("the same seed repeated 200 draws, another seed changed them");
        }

        /**
         * Draws against the student's own {@code probabilities}: this check is about drawing, so a mistake
         * in the filters shows in the probabilities checks, not twice.
         */
        CheckResult drawsFollow(Case c, int vocab) {
            float[] logits = Grading.gaussian(ctx.random(), vocab, 1);
            float[] probs = studentProbabilities(c, logits);
            double sum = 0;
            for (float p : probs) {
                if (!(p >= 0) || Float.isInfinite(p)) {
                    return ctx.fail("your probabilities for this case are not a distribution (" + p
                            + " among them), so there is nothing to compare the draws with");
                }
                sum += p;
            }
            if (sum <= 0) {
                return ctx.fail("your probabilities for this case are all 0, so no draw can follow them");
            }
            int[] draws = draws(c, logits, samplerSeed, DRAWS);
            long[] counts = new long[vocab];
            for (int d : draws) {
                if (d < 0 || d >= vocab) {
                    return ctx.fail("sample returned " + d + ", which is no token id of a " + vocab + "-token vocabulary");
                }
                counts[d]++;
            }
            for (int t = 0; t < vocab; t++) {
                if (probs[t] == 0 && counts[t] > 0) {
                    return ctx.fail("token " + t + " was drawn " + counts[t] + " times, but your probabilities give "
                            + "it exactly 0", SamplingTag.FILTERS_IGNORED_WHEN_DRAWING);
                }
            }
            return chiSquare(probs, sum, counts);
        }

        private CheckResult chiSquare(float[] probs, double sum, long[] counts) {
            // Tokens expected fewer than 5 times are pooled, smallest first, so the chi-square
            // approximation holds for every cell.
            Integer[] bySize = SamplingOracle.ranking(probs);
            double chi = 0;
            int cells = 0;
            double pooledExpected = 0;
            long pooledCount = 0;
            StringBuilder table = new StringBuilder();
            for (int r = probs.length - 1; r >= 0; r--) {
                int t = bySize[r];
                if (probs[t] == 0) {
                    continue;
                }
                double expected = probs[t] / sum * DRAWS;
                table.insert(0, String.format(Locale.ROOT, "%d: %d (expected %.0f)%s", t, counts[t], expected,
                        table.length() == 0 ? "" : ", "));
                pooledExpected += expected;
                pooledCount += counts[t];
                if (pooledExpected >= 5 || r == 0) {
                    chi += (pooledCount - pooledExpected) * (pooledCount - pooledExpected) / pooledExpected;
                    cells++;
                    pooledExpected = 0;
                    pooledCount = 0;
                }
            }
            double limit = chiSquareLimit(Math.max(1, cells - 1));
            String summary = String.format(Locale.ROOT, "chi-square %.1f against a limit of %.1f; token: count %s",
                    chi, limit, table);
            return chi <= limit ? ctx.pass("the draws follow your probabilities: " + summary)
                    : ctx.fail("the draws do not follow your probabilities: " + summary,
                            SamplingTag.DRAWS_OFF_DISTRIBUTION);
        }

        // ---------------------------------------------------------------- running code

        private float[] oracle(Case c, float[] logits, Set<SamplingMutation> mutations) {
            try (NDManager scratch = ctx.manager().newSubManager()) {
                return SamplingOracle.probabilities(scratch, logits, c.temperature(), c.topK(), c.topP(), mutations);
            }
        }

        private Sampler sampler(Case c, long seed) {
            return ctx.student(Sampler.class).create(c.temperature(), c.topK(), c.topP(), seed);
        }

        private float[] studentProbabilities(Case c, float[] logits) {
            NDArray out = sampler(c, samplerSeed).probabilities(ctx.manager().create(logits));
            return Grading.values(out, PROBS_FN, Grading.dims(logits.length), DataType.FLOAT32);
        }

        /**
         * Draws with one sampler. The logits travel as values on every call, so each draw gets a fresh
         * copy over there and nothing a draw does to them reaches the next.
         */
        private int[] draws(Case c, float[] logits, long seed, int n) {
            Sampler sampler = sampler(c, seed);
            NDArray input = ctx.manager().create(logits);
            int[] draws = new int[n];
            for (int i = 0; i < n; i++) {
                draws[i] = sampler.sample(input);
            }
            return draws;
        }
    }
}
