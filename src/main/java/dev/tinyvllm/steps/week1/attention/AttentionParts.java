package dev.tinyvllm.steps.week1.attention;

import dev.tinyvllm.curriculum.source.FunctionCode;
import dev.tinyvllm.curriculum.source.PartDetector;
import dev.tinyvllm.curriculum.source.Signs;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of week1/attention (prompts/steps/week1/attention.md), recognised from the DJL calls
 * that carry them. These are signs, not proofs: a part that is present but wrong is the checks'
 * business, and a student who writes a part in an unusual way is asked about it, not failed.
 */
public final class AttentionParts implements PartDetector {

    private static final List<String> EAGER = List.of("split-heads", "scores", "scale", "padding-mask", "softmax",
            "weighted-sum", "merge-heads");
    private static final List<String> EAGER_CAUSAL = List.of("split-heads", "scores", "scale", "padding-mask",
            "causal-mask", "softmax", "weighted-sum", "merge-heads");

    private static final Map<String, List<String>> PARTS = Map.of(
            "eagerBidirectional", EAGER,
            "eagerCausal", EAGER_CAUSAL,
            "sdpaBidirectional", List.of("sdpa-call"),
            "sdpaCausal", List.of("sdpa-call"),
            "flashBidirectional", List.of("flash-layout", "flash-call"),
            "flashCausal", List.of("flash-layout", "flash-call"));

    private static final Pattern PRODUCT = Pattern.compile("\\.(?:matMul|batchMatMul|batchDot|dot)\\s*\\(");
    private static final Pattern AXIS_MOVE = Pattern.compile("\\.(?:transpose|swapAxes)\\s*\\(");
    private static final Pattern RESHAPE = Pattern.compile("\\.reshape\\s*\\(");
    private static final Pattern SCALE = Pattern.compile("\\b(?:sqrt|rsqrt)\\b|\\bpow\\s*\\(");
    private static final Pattern MASK_READ = Pattern.compile("\\bmask\\b");
    /** A triangle of positions, by DJL's triangles or by comparing two ranges; never by what a variable is called. */
    private static final Pattern CAUSAL = Pattern.compile(
            "\\b(?:tril|triu|arange)\\b|\\.(?:lt|lte|gt|gte)\\s*\\(");
    private static final Pattern SOFTMAX = Pattern.compile("\\.(?:softmax|logSoftmax)\\s*\\(|\\.exp\\s*\\(");
    private static final Pattern SDPA = Pattern.compile("\\bscaledDotProductAttention\\s*\\(");
    private static final Pattern FLASH = Pattern.compile("\\bflashAttentionVarlen\\s*\\(");

    /** Made by the tutor from the step's catalog line. */
    public AttentionParts() {}

    @Override
    public List<String> partsOf(String function) {
        return PARTS.getOrDefault(function, List.of());
    }

    @Override
    public boolean has(String part, FunctionCode function) {
        String code = function.inlined();
        return switch (part) {
            case "split-heads" -> RESHAPE.matcher(code).find() && AXIS_MOVE.matcher(code).find();
            case "scores" -> PRODUCT.matcher(code).find();
            case "scale" -> SCALE.matcher(code).find();
            // The mask is the sixth parameter of the eager functions, whatever the student calls it.
            case "padding-mask" -> function.parameter(5).map(mask -> Signs.mentions(code, mask))
                    .orElseGet(() -> MASK_READ.matcher(code).find());
            case "causal-mask" -> CAUSAL.matcher(code).find();
            case "softmax" -> SOFTMAX.matcher(code).find();
            case "weighted-sum" -> count(PRODUCT, code) >= 2;
            case "merge-heads" -> reshapeAfterLastProduct(code);
            case "sdpa-call" -> SDPA.matcher(code).find();
            case "flash-layout" -> RESHAPE.matcher(code).find();
            case "flash-call" -> FLASH.matcher(code).find();
            default -> false;
        };
    }

    private static int count(Pattern p, String code) {
        Matcher m = p.matcher(code);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The heads go back side by side after the values are mixed, so a reshape follows the last product. */
    private static boolean reshapeAfterLastProduct(String code) {
        Matcher m = PRODUCT.matcher(code);
        int last = -1;
        while (m.find()) {
            last = m.end();
        }
        return last >= 0 && RESHAPE.matcher(code).find(last);
    }
}
