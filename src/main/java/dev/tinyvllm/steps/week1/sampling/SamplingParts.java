package dev.tinyvllm.steps.week1.sampling;

import dev.tinyvllm.curriculum.source.FunctionCode;
import dev.tinyvllm.curriculum.source.PartDetector;
import dev.tinyvllm.curriculum.source.Signs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of week1/sampling (prompts/steps/week1/sampling.md). The sampler's settings are
 * constructor parameters (temperature, topK, topP, seed, in that order), followed into the fields
 * the constructor sets from them; a stage is there when its setting is really used, not merely
 * compared with the number that switches it off.
 */
public final class SamplingParts implements PartDetector {

    private static final Map<String, List<String>> PARTS = Map.of(
            "Sampler.probabilities", List.of("temperature", "greedy", "top-k", "top-p", "renormalize"),
            "Sampler.sample", List.of("draw"));

    private static final int TEMPERATURE = 0;
    private static final int TOP_K = 1;
    private static final int TOP_P = 2;
    private static final int SEED = 3;

    private static final Pattern SOFTMAX = Pattern.compile("\\.(?:softmax|logSoftmax)\\s*\\(|\\bexp\\s*\\(");
    private static final String NUMBER = "(?<![\\w.])-?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?[dDfF]?";
    /** What gives removed tokens exactly nothing, or divides the kept ones by their total. */
    private static final Pattern RENORMALIZE = Pattern.compile("NEGATIVE_INFINITY|MAX_VALUE|\\b\\d+(?:\\.\\d*)?[eE]\\d+|"
            + "\\.sum\\s*\\(");
    private static final Pattern DRAW = Pattern.compile("\\.next(?:Double|Float|Int|Long|Gaussian)\\s*\\(");
    private static final Pattern GENERATOR = Pattern.compile(
            "\\bnew\\s+(?:java\\.util\\.(?:random\\.)?)?(?:Random|SplittableRandom)\\s*\\(([^;]*)\\)"
                    + "|\\.setSeed\\s*\\(([^;]*)\\)");

    /** Made by the tutor from the step's catalog line. */
    public SamplingParts() {}

    @Override
    public List<String> partsOf(String function) {
        return PARTS.getOrDefault(function, List.of());
    }

    @Override
    public boolean has(String part, FunctionCode code) {
        String method = Signs.withoutGuards(code.inlined());
        Set<String> temperature = code.namesOf(TEMPERATURE);
        return switch (part) {
            case "temperature" -> dividesBy(method, temperature) && Signs.find(SOFTMAX, method);
            case "greedy" -> temperature.stream().anyMatch(t -> comparedWithNumber(method, t));
            case "top-k" -> Signs.usedBeyondSwitches(method, code.namesOf(TOP_K));
            case "top-p" -> Signs.usedBeyondSwitches(method, code.namesOf(TOP_P));
            case "renormalize" -> Signs.find(RENORMALIZE, method) || dividesByOtherThan(method, temperature);
            case "draw" -> Signs.find(DRAW, method) && seeded(code);
            default -> false;
        };
    }

    private static final String DIVISION = "(?:\\.div\\s*\\(|/=?)\\s*(?:\\(\\s*\\w+\\s*\\)\\s*)?";

    private static String name(String n) {
        return "(?:\\bthis\\s*\\.\\s*|(?<![\\w.]))" + Pattern.quote(n) + "\\b";
    }

    /** {@code .div(t)}, {@code / t}, {@code /= t}, a cast in between allowed. */
    private static boolean dividesBy(String code, Set<String> names) {
        return names.stream().anyMatch(n -> Pattern.compile(DIVISION + name(n)).matcher(code).find());
    }

    /** A division by something that is not the temperature: the kept probabilities by their total. */
    private static boolean dividesByOtherThan(String code, Set<String> temperature) {
        Matcher m = Pattern.compile(DIVISION + "(?:this\\s*\\.\\s*)?([A-Za-z_]\\w*)").matcher(code);
        while (m.find()) {
            if (!temperature.contains(m.group(1)) && !m.group(1).equals("Math")) {
                return true;
            }
        }
        return false;
    }

    /** The temperature 0 case: the setting compared with a number ({@code t == 0}, {@code t < 1e-6}). */
    private static boolean comparedWithNumber(String code, String t) {
        return Pattern.compile(name(t) + "\\s*(?:==|<=|<)\\s*" + NUMBER + "|" + NUMBER + "\\s*(?:==|>=|>)\\s*" + name(t))
                .matcher(code).find();
    }

    /** A random generator made from the sampler's seed. */
    private static boolean seeded(FunctionCode code) {
        Set<String> seed = code.namesOf(SEED);
        Matcher m = GENERATOR.matcher(code.all());
        while (m.find()) {
            String args = m.group(1) != null ? m.group(1) : m.group(2);
            if (Signs.mentionsAny(args, seed)) {
                return true;
            }
        }
        return false;
    }
}
