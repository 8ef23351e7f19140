package dev.tinyvllm.steps.week1.rope;

import dev.tinyvllm.curriculum.source.FunctionCode;
import dev.tinyvllm.curriculum.source.PartDetector;
import dev.tinyvllm.curriculum.source.Signs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of week1/rope (prompts/steps/week1/rope.md). The constructor and {@code apply} are read
 * together, since a student may compute the angles in either. Parameters are found by their place
 * in the skeleton's signatures: the constructor's base is the fourth, {@code apply}'s offset the
 * second. Element-wise Java loops are recognised as well as DJL calls.
 */
public final class RopeParts implements PartDetector {

    static final String INTERLEAVED = "RoPE.apply (interleaved)";
    static final String HALF_SPLIT = "RoPE.apply (half-split)";

    private static final Map<String, List<String>> PARTS = Map.of(
            // The guide asks for the interleaved layout to work from position 0 before offsets come up.
            INTERLEAVED, List.of("frequencies", "angle-table", "interleaved-pairs", "rotation", "keep-shape", "positions"),
            HALF_SPLIT, List.of("half-split"));

    private static final int BASE = 3;
    private static final int OFFSET = 1;

    /** base^(-2i/d), written as a power or as an exponential of a logarithm. */
    private static final Pattern FREQUENCY = Pattern.compile("\\bpow\\s*\\(|\\bexp\\s*\\(");
    private static final Pattern COS = Pattern.compile("\\bcos\\s*\\(");
    private static final Pattern SIN = Pattern.compile("\\bsin\\s*\\(");

    /** A view whose last axis holds the two numbers of a pair: [..., headDim / 2, 2]. */
    private static final Pattern PAIR_AXIS = Pattern.compile(
            "(?:\\.reshape|\\bnew\\s+Shape)\\s*\\([^;]*?,\\s*2\\s*\\)");
    /** Feature 2i + 1, the partner of feature 2i, in a Java loop. */
    private static final Pattern ODD_PARTNER = Pattern.compile("\\b2\\s*\\*\\s*\\w+\\s*\\+\\s*1\\b");
    /** Feature i + d / 2, the partner of feature i in the half-split layout, in a Java loop. */
    private static final Pattern HALF_PARTNER = Pattern.compile("\\b\\w+\\s*\\+\\s*\\w+\\s*/\\s*2\\b");
    private static final Pattern SPLIT = Pattern.compile("\\.split\\s*\\(");
    private static final Pattern LITERAL = Pattern.compile("\"([^\"]*)\"(\\s*\\+)?");

    private static final Pattern NDARRAY_MUL = Pattern.compile("\\.mul\\s*\\(");
    private static final Pattern NDARRAY_MINUS = Pattern.compile("\\.(?:sub|neg)\\s*\\(");
    private static final Pattern NDARRAY_ADD = Pattern.compile("\\.add\\s*\\(");
    private static final String TERM = "[\\w.]+(?:\\[[^\\]]*\\])?";
    private static final Pattern PRODUCT_DIFFERENCE = Pattern.compile(TERM + "\\s*\\*\\s*" + TERM + "\\s*-\\s*" + TERM
            + "\\s*\\*");
    private static final Pattern PRODUCT_SUM = Pattern.compile(TERM + "\\s*\\*\\s*" + TERM + "\\s*\\+\\s*" + TERM
            + "\\s*\\*");

    /** What puts an extra axis in; what takes it back out. */
    private static final Pattern EXTRA_AXIS = Pattern.compile("\\.stack\\s*\\(|\\bstack\\s*\\(|\\.expandDims\\s*\\(|"
            + PAIR_AXIS.pattern());
    private static final Pattern BACK_TO_SHAPE = Pattern.compile("\\.(?:reshape|flatten)\\s*\\(|\\bcreate\\s*\\(");

    /** Made by the tutor from the step's catalog line. */
    public RopeParts() {}

    @Override
    public List<String> partsOf(String function) {
        return PARTS.getOrDefault(function, List.of());
    }

    @Override
    public boolean has(String part, FunctionCode code) {
        String all = Signs.withoutGuards(code.all());
        String apply = code.inlined();
        return switch (part) {
            case "frequencies" -> Signs.find(FREQUENCY, all) && Signs.mentionsAny(all, code.namesOf(BASE));
            case "angle-table" -> Signs.find(COS, all) && Signs.find(SIN, all);
            case "positions" -> code.parameter(OFFSET).map(o -> Signs.usedBeyondSwitches(code.body(), Set.of(o)))
                    .orElse(false);
            case "interleaved-pairs" -> Signs.find(PAIR_AXIS, apply) || Signs.find(ODD_PARTNER, apply)
                    || indexLiterals(apply, true);
            case "rotation" -> rotates(apply);
            case "keep-shape" -> keepsShape(apply);
            case "half-split" -> Signs.find(SPLIT, apply) || Signs.find(HALF_PARTNER, apply) || indexLiterals(apply, false);
            default -> false;
        };
    }

    /** Each pair becomes (a cos - b sin, a sin + b cos): products, a difference and a sum. */
    private static boolean rotates(String apply) {
        boolean arrays = Signs.count(NDARRAY_MUL, apply) >= 2 && Signs.find(NDARRAY_MINUS, apply)
                && Signs.find(NDARRAY_ADD, apply);
        boolean loops = Signs.find(PRODUCT_DIFFERENCE, apply) && Signs.find(PRODUCT_SUM, apply);
        return arrays || loops;
    }

    /** No extra axis, or the last one put in is taken out again. */
    private static boolean keepsShape(String apply) {
        int extra = Signs.lastStart(EXTRA_AXIS, apply);
        return extra < 0 || BACK_TO_SHAPE.matcher(apply).find(extra + 1);
    }

    /**
     * Whether an index expression takes the pairs of a layout along the last axis: a stride of 2
     * ({@code "..., 1::2"}) for neighbours, a half ({@code "..., :{}"}, {@code "..., 4:"}) for the
     * half-split layout. A slice of the first axis ({@code "{}:{}"}, the positions) is neither.
     */
    private static boolean indexLiterals(String code, boolean interleaved) {
        Matcher m = LITERAL.matcher(code);
        while (m.find()) {
            String index = m.group(1);
            int lastAxis = Math.max(index.lastIndexOf(','), index.lastIndexOf("..."));
            if (lastAxis < 0) {
                continue;
            }
            String last = index.substring(lastAxis).replaceFirst("^(\\.\\.\\.|,)", "").strip();
            if (interleaved) {
                if (last.matches("(\\d+|\\{})?\\s*::\\s*2")) {
                    return true;
                }
            } else if (!last.contains("::") && last.contains(":")) {
                boolean bounded = last.matches(".*(\\d|\\{}).*");
                boolean concatenated = m.group(2) != null || code.substring(0, m.start()).stripTrailing().endsWith("+");
                if (bounded || concatenated) {
                    return true;
                }
            }
        }
        return false;
    }
}
