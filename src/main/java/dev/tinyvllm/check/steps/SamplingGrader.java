package dev.tinyvllm.check.steps;

import static dev.tinyvllm.check.steps.Grading.dims;
import static dev.tinyvllm.check.steps.Grading.fail;
import static dev.tinyvllm.check.steps.Grading.pass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepGrader;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.check.steps.Grading.NamedCase;
import dev.tinyvllm.check.steps.Grading.WrongOutput;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.oracle.SamplingMutation;
import dev.tinyvllm.oracle.SamplingOracle;
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
public final class SamplingGrader implements StepGrader {

    static final String CLASS = "week1.sampling.Sampler";
    private static final String PROBS_FN = "Sampler.probabilities";
    private static final String SAMPLE_FN = "Sampler.sample";
    private static final Class<?>[] CONSTRUCTOR = {double.class, int.class, double.class, long.class};
    private static final Class<?>[] ON_LOGITS = {NDArray.class};
    private static final int DRAWS = 1500;

    private record Case(String name, String description, double temperature, int topK, double topP, float[] logits)
            implements NamedCase {}

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

    private static final String GREEDY = "greedy";
    private static final String REPRODUCIBLE = "reproducible";
    private static final String DISTRIBUTION = "distribution";
    private static final String FILTERED = "filtered";

    @Override
    public String stepId() {
        return "week1/sampling";
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        checks.addAll(Grading.specs("probabilities.", PROBS_FN, PROBABILITY_CASES));
        checks.add(new CheckSpec("sample." + GREEDY, SAMPLE_FN, "temperature 0 draws the first of the tied largest logits, every time"));
        checks.add(new CheckSpec("sample." + REPRODUCIBLE, SAMPLE_FN, "the same seed repeats the draws, another seed changes them"));
        checks.add(new CheckSpec("sample." + DISTRIBUTION, SAMPLE_FN, DRAWS + " draws at temperature 0.8 follow your probabilities"));
        checks.add(new CheckSpec("sample." + FILTERED, SAMPLE_FN, DRAWS + " draws with top-k 4 and top-p 0.85: never a filtered token, the rest as your probabilities say"));
        return checks;
    }

    @Override
    public CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        String caseName = Grading.caseName(check);
        Run run = new Run(check, code, manager, step, seed);
        return Grading.guarded(check, () -> {
            if (check.function().equals(PROBS_FN)) {
                return run.probabilityCheck(Grading.named(PROBABILITY_CASES, caseName));
            }
            return switch (caseName) {
                case GREEDY -> run.greedyDraws();
                case REPRODUCIBLE -> run.reproducible();
                case DISTRIBUTION -> run.drawsFollow(new Case(DISTRIBUTION, "", 0.8, 0, 1, null), 6);
                default -> run.drawsFollow(new Case(FILTERED, "", 1.2, 4, 0.85, null), 8);
            };
        });
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

    /** One check's state. */
    private static final class Run extends CheckContext {
        private final long samplerSeed;

        Run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
            super(check, code, manager, step, seed);
            this.samplerSeed = random.nextLong();
        }

        CheckResult probabilityCheck(Case c) throws StudentFailure, WrongOutput {
            float[] logits = c.logits() != null ? c.logits() : Grading.gaussian(random, 12, 1.5);
            float[] expected = oracle(c, logits, EnumSet.noneOf(SamplingMutation.class));
            float[] actual;
            try (NDManager scratch = manager.newSubManager()) {
                Object sampler = sampler(c, samplerSeed);
                actual = Grading.values(code.invoke(sampler, "probabilities", ON_LOGITS, scratch.create(logits)),
                        "Sampler.probabilities", dims(logits.length), DataType.FLOAT32);
            }
            CheckResult result = Grading.compare(check, actual, expected, dims(logits.length), tolerance,
                    List.of("token"), () -> mutantTags(c, logits, actual, expected));
            if (result.status() != Outcome.PASS) {
                return result;
            }
            for (int i = 0; i < expected.length; i++) {
                if ((expected[i] == 0) != (actual[i] == 0)) {
                    return fail(check, String.format(Locale.ROOT, "token %d should have probability %s, yours has %.3g: "
                            + "a filtered token gets exactly 0, and a kept one never does", i,
                            expected[i] == 0 ? "exactly 0" : "above 0", actual[i]), List.of());
                }
            }
            return result;
        }

        private List<String> mutantTags(Case c, float[] logits, float[] actual, float[] expected) {
            List<SamplingMutation> candidates = new ArrayList<>();
            for (SamplingMutation m : SamplingMutation.values()) {
                if ((c.temperature() == 0) == (m.group() == SamplingMutation.Group.GREEDY)) {
                    candidates.add(m);
                }
            }
            return Grading.agreedTags(actual, expected, tolerance,
                    Grading.variants(candidates, set -> oracle(c, logits, set)));
        }

        CheckResult greedyDraws() throws StudentFailure, WrongOutput {
            int[] draws = draws(new Case(GREEDY, "", 0, 0, 1, TIED_MAX), TIED_MAX, samplerSeed, 20);
            int first = 1;
            if (Arrays.stream(draws).allMatch(d -> d == first)) {
                return pass(check, "20 draws at temperature 0 all picked token 1, the first of the two largest logits");
            }
            boolean lastTie = Arrays.stream(draws).allMatch(d -> d == 3);
            return fail(check, "at temperature 0 every draw must pick token 1 (the first of tokens 1 and 3, tied for "
                    + "the largest logit); yours drew " + Arrays.toString(Arrays.copyOf(draws, 10)) + "...",
                    List.of(lastTie ? "GREEDY_TIE" : "GREEDY_NOT_ARGMAX"));
        }

        CheckResult reproducible() throws StudentFailure, WrongOutput {
            Case c = new Case(REPRODUCIBLE, "", 1, 0, 1, null);
            float[] logits = Grading.gaussian(random, 8, 0.5);
            int[] first = draws(c, logits, samplerSeed, 200);
            int[] again = draws(c, logits, samplerSeed, 200);
            if (!Arrays.equals(first, again)) {
                return fail(check, "two samplers made with the same seed drew different tokens", List.of("SEED_IGNORED"));
            }
            int[] other = draws(c, logits, samplerSeed + 1, 200);
            if (Arrays.equals(first, other)) {
                return fail(check, "samplers made with different seeds drew the same 200 tokens from 8 nearly equally "
                        + "likely ones", List.of("SEED_IGNORED"));
            }
            return pass(check, "the same seed repeated 200 draws, another seed changed them");
        }

        /**
         * Draws against the student's own {@code probabilities}: this check is about drawing, so a mistake
         * in the filters shows in the probabilities checks, not twice.
         */
        CheckResult drawsFollow(Case c, int vocab) throws StudentFailure, WrongOutput {
            float[] logits = Grading.gaussian(random, vocab, 1);
            float[] probs;
            try (NDManager scratch = manager.newSubManager()) {
                probs = Grading.values(code.invoke(sampler(c, samplerSeed), "probabilities", ON_LOGITS,
                        scratch.create(logits)), "Sampler.probabilities", dims(vocab), DataType.FLOAT32);
            }
            double sum = 0;
            for (float p : probs) {
                if (!(p >= 0) || Float.isInfinite(p)) {
                    return fail(check, "your probabilities for this case are not a distribution (" + p
                            + " among them), so there is nothing to compare the draws with", List.of());
                }
                sum += p;
            }
            if (sum <= 0) {
                return fail(check, "your probabilities for this case are all 0, so no draw can follow them", List.of());
            }
            int[] draws = draws(c, logits, samplerSeed, DRAWS);
            long[] counts = new long[vocab];
            for (int d : draws) {
                if (d < 0 || d >= vocab) {
                    return fail(check, "sample returned " + d + ", which is no token id of a " + vocab + "-token vocabulary",
                            List.of());
                }
                counts[d]++;
            }
            for (int t = 0; t < vocab; t++) {
                if (probs[t] == 0 && counts[t] > 0) {
                    return fail(check, "token " + t + " was drawn " + counts[t] + " times, but your probabilities give "
                            + "it exactly 0", List.of("FILTERS_IGNORED_WHEN_DRAWING"));
                }
            }
            // Tokens expected fewer than 5 times are pooled, smallest first, so the chi-square
            // approximation holds for every cell.
            Integer[] bySize = SamplingOracle.ranking(probs);
            double chi = 0;
            int cells = 0;
            double pooledExpected = 0;
            long pooledCount = 0;
            StringBuilder table = new StringBuilder();
            for (int r = vocab - 1; r >= 0; r--) {
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
            return chi <= limit ? pass(check, "the draws follow your probabilities: " + summary)
                    : fail(check, "the draws do not follow your probabilities: " + summary,
                            List.of("DRAWS_OFF_DISTRIBUTION"));
        }

        // ---------------------------------------------------------------- running code

        private float[] oracle(Case c, float[] logits, Set<SamplingMutation> mutations) {
            try (NDManager scratch = manager.newSubManager()) {
                return SamplingOracle.probabilities(scratch, logits, c.temperature(), c.topK(), c.topP(), mutations);
            }
        }

        private Object sampler(Case c, long seed) throws StudentFailure {
            return code.construct(CLASS, CONSTRUCTOR, c.temperature(), c.topK(), c.topP(), seed);
        }

        /** Draws with one sampler; each draw gets fresh logits, so nothing a draw does to them reaches the next. */
        private int[] draws(Case c, float[] logits, long seed, int n) throws StudentFailure, WrongOutput {
            Object sampler = sampler(c, seed);
            int[] draws = new int[n];
            int done = 0;
            while (done < n) {
                // A manager per hundred draws bounds what the student's arrays hold on to.
                try (NDManager scratch = manager.newSubManager()) {
                    for (int i = 0; i < 100 && done < n; i++, done++) {
                        Object token = code.invoke(sampler, "sample", ON_LOGITS, scratch.create(logits));
                        draws[done] = (Integer) token;
                    }
                }
            }
            return draws;
        }
    }
}
