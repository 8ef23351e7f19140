package dev.tinyvllm.steps.week1.rmsnormmlp;

import dev.tinyvllm.curriculum.source.FunctionCode;
import dev.tinyvllm.curriculum.source.PartDetector;
import dev.tinyvllm.curriculum.source.Signs;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parts of week1/rmsnorm-mlp (prompts/steps/week1/rmsnorm-mlp.md). The weights and eps are
 * constructor parameters, found by position and followed into the fields the constructor sets.
 */
public final class NormMlpParts implements PartDetector {

    private static final Map<String, List<String>> PARTS = Map.of(
            "RMSNorm.forward", List.of("mean-square", "eps-root", "weight", "keep-type"),
            "Qwen2MLP.forward", List.of("projections", "silu-gate", "gate-times-up"));

    private static final int NORM_WEIGHT = 0;
    private static final int EPS = 1;
    private static final int GATE = 0;
    private static final int UP = 1;
    private static final int DOWN = 2;

    /** A square: DJL's, a power of 2, or a value times itself (an array or a loop element). */
    private static final Pattern SQUARE = Pattern.compile("\\.square\\s*\\(|\\bpow\\s*\\(\\s*2\\b|\\.pow\\s*\\(|"
            + "(\\b\\w+(?:\\[[^\\]]*\\])?)\\s*\\*\\s*\\1(?![\\w\\[])|\\.mul\\s*\\(\\s*(\\w+)\\s*\\)");
    /** An average: DJL's mean, or a sum divided by the size. */
    private static final Pattern MEAN = Pattern.compile("\\.mean\\s*\\(|\\.sum\\s*\\(|\\+=");
    private static final Pattern ROOT = Pattern.compile("\\b(?:sqrt|rsqrt)\\s*\\(|\\.pow\\s*\\(\\s*-?0?\\.5");
    private static final Pattern PRODUCT = Pattern.compile("\\.mul\\s*\\(|\\*");
    private static final Pattern TO_FLOAT32 = Pattern.compile("\\bFLOAT32\\b|\\.toFloatArray\\s*\\(");
    private static final Pattern OWN_TYPE = Pattern.compile("\\.getDataType\\s*\\(");
    private static final Pattern CONVERT = Pattern.compile("\\.toType\\s*\\(");
    /** SiLU or its sigmoid, by name (DJL's Activation has both) or through an exponential. */
    private static final Pattern ACTIVATION = Pattern.compile("\\b(?:silu|sigmoid|swish)\\s*\\(|\\bexp\\s*\\(");
    private static final Pattern NDARRAY_MUL = Pattern.compile("\\.mul\\s*\\(");
    private static final Pattern JAVA_MUL = Pattern.compile("[^*/]\\*[^*=/]");

    /** Made by the tutor from the step's catalog line. */
    public NormMlpParts() {}

    @Override
    public List<String> partsOf(String function) {
        return PARTS.getOrDefault(function, List.of());
    }

    @Override
    public boolean has(String part, FunctionCode code) {
        String method = Signs.withoutGuards(code.inlined());
        return switch (part) {
            case "mean-square" -> squaresSelf(method) && Signs.find(MEAN, method);
            case "eps-root" -> Signs.find(ROOT, method) && Signs.mentionsAny(method, code.namesOf(EPS));
            case "weight" -> Signs.mentionsAny(method, code.namesOf(NORM_WEIGHT)) && Signs.find(PRODUCT, method);
            case "keep-type" -> Signs.find(TO_FLOAT32, method) && Signs.find(OWN_TYPE, method)
                    && Signs.find(CONVERT, method);
            case "projections" -> Signs.mentionsAny(method, code.namesOf(GATE))
                    && Signs.mentionsAny(method, code.namesOf(UP)) && Signs.mentionsAny(method, code.namesOf(DOWN));
            case "silu-gate" -> Signs.find(ACTIVATION, method);
            case "gate-times-up" -> upIsMultiplied(method, code);
            default -> false;
        };
    }

    /** A square, where {@code a.mul(a)} counts only when it multiplies a value by itself. */
    private static boolean squaresSelf(String code) {
        var m = SQUARE.matcher(code);
        while (m.find()) {
            if (m.group(2) == null) {
                return true;
            }
            String before = code.substring(0, m.start());
            if (Pattern.compile("\\b" + Pattern.quote(m.group(2)) + "\\s*$").matcher(before).find()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value that leaves the up weight is multiplied element by element: by DJL's {@code mul}
     * anywhere, or by Java's {@code *} on a line other than the one that computes the up projection
     * (which multiplies by the weight itself).
     */
    private static boolean upIsMultiplied(String code, FunctionCode f) {
        List<String> up = f.namesOf(UP).stream().toList();
        List<String> upValues = Signs.derived(code, up, rhs -> f.reaches(rhs, t -> Signs.mentionsAny(t, up)));
        List<String> results = upValues.subList(up.size(), upValues.size());
        for (String s : Signs.statements(code)) {
            boolean reachesUp = f.reaches(s, t -> Signs.mentionsAny(t, up));
            if (!reachesUp && !Signs.mentionsAny(s, results)) {
                continue;
            }
            boolean definesUp = reachesUp && !Signs.mentionsAny(s, results);
            if (Signs.find(NDARRAY_MUL, s) || (!definesUp && Signs.find(JAVA_MUL, s))) {
                return true;
            }
        }
        return false;
    }
}
