package dev.tinyvllm.steps.week1.gqa;

import dev.tinyvllm.curriculum.source.FunctionCode;
import dev.tinyvllm.curriculum.source.PartDetector;
import dev.tinyvllm.curriculum.source.Signs;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The parts of week1/gqa (prompts/steps/week1/gqa.md): the causal mask, grouped attention, and the
 * Qwen2 attention layer. Parameters are found by their place in the skeleton's signatures (k is
 * {@code attention}'s second, the mask its fourth; the layer's weights are constructor parameters
 * 4, 6, 8 and 10) and followed into the fields the student's constructor sets from them.
 */
public final class GqaParts implements PartDetector {

    private static final Map<String, List<String>> PARTS = Map.of(
            "GroupedAttention.causalMask", List.of("causal-mask"),
            "GroupedAttention.attention", List.of("head-groups", "grouped-layout", "scores-and-scale", "mask-broadcast",
                    "merge-output"),
            "Qwen2Attention.forward", List.of("projections", "rotate-q-k", "layer-attention", "output-projection"));

    private static final int QUERY_LEN = 1;
    private static final int KEY_LEN = 2;
    private static final int Q = 0;
    private static final int K = 1;
    private static final int V = 2;
    private static final int MASK = 3;
    private static final int WQ = 3;
    private static final int WK = 5;
    private static final int WV = 7;
    private static final int WO = 9;

    /** A comparison of positions: DJL's, a triangle, or Java's outside a loop header. */
    private static final Pattern COMPARE = Pattern.compile(
            "\\.(?:lt|lte|gt|gte)\\s*\\(|\\b(?:tril|triu)\\b|<=|>=|[^<>\\w]<[^<=]|[^<>-]>[^>=]");
    private static final Pattern LOOP_HEADER = Pattern.compile("\\bfor\\s*\\([^;)]*;[^;]*;[^)]*\\)");
    /** A head index or head count divided by another: query head h reads key/value head h / r. */
    private static final Pattern QUOTIENT = Pattern.compile(
            "\\b[A-Za-z_]\\w*(?:\\s*\\(\\s*\\))?\\s*[/%]\\s*(?!Math\\b)[A-Za-z_(]");
    private static final Pattern INDEX_BY_QUOTIENT = Pattern.compile("\\.get\\s*\\([^;]*\\b\\w+\\s*/\\s*\\w+");
    private static final Pattern PRODUCT = Pattern.compile("\\.(?:matMul|batchMatMul|batchDot|dot)\\s*\\(");
    private static final Pattern SDPA = Pattern.compile("\\bscaledDotProductAttention\\s*\\(");
    private static final Pattern KEYS_TURNED = Pattern.compile("\\.(?:transpose|swapAxes)\\s*\\(");
    private static final Pattern SCALE = Pattern.compile("\\b(?:sqrt|rsqrt)\\b|\\bpow\\s*\\(");
    private static final Pattern SOFTMAX = Pattern.compile("\\.(?:softmax|logSoftmax)\\s*\\(|\\.exp\\s*\\(");
    private static final Pattern FILL = Pattern.compile(
            "\\bwhere\\s*\\(|NEGATIVE_INFINITY|MAX_VALUE|\\b\\d+(?:\\.\\d*)?[eE]\\d+|" + "\\.(?:not|logicalNot)\\s*\\(");
    private static final Pattern MERGE = Pattern.compile("\\.(?:reshape|squeeze)\\s*\\(|\\b(?:concat|stack)\\s*\\(");
    private static final Pattern NULL_CHECK = Pattern.compile("\\b\\w+\\s*[!=]=\\s*null\\b|\\bnull\\s*[!=]=\\s*\\w+\\b");
    private static final Pattern NEW_ROPE = Pattern.compile("\\bnew\\s+(?:[\\w.]*\\.)?RoPE\\s*\\(");
    private static final Pattern APPLY = Pattern.compile("\\.apply\\s*\\(");
    private static final Pattern GROUPED_ATTENTION = Pattern.compile(
            "\\battention\\s*\\(|\\bscaledDotProductAttention\\s*\\(");
    private static final Pattern CAUSAL = Pattern.compile(
            "\\bcausalMask\\s*\\(|\\.(?:lt|lte|gt|gte)\\s*\\(|\\b(?:tril|triu)\\b");

    @Override
    public List<String> partsOf(String function) {
        return PARTS.getOrDefault(function, List.of());
    }

    @Override
    public boolean has(String part, FunctionCode code) {
        String method = Signs.withoutGuards(code.inlined());
        return switch (part) {
            case "causal-mask" -> Signs.find(COMPARE, LOOP_HEADER.matcher(method).replaceAll(" "))
                    && usesAll(method, code, QUERY_LEN, KEY_LEN);
            case "head-groups" -> (readsShape(method, code.parameter(K)) || readsShape(method, code.parameter(V)))
                    && Signs.find(QUOTIENT, method);
            case "grouped-layout" -> groupedLayout(method, code);
            case "scores-and-scale" -> Signs.find(SDPA, method)
                    || (Signs.find(PRODUCT, method) && Signs.find(KEYS_TURNED, method) && Signs.find(SCALE, method));
            case "mask-broadcast" -> code.parameter(MASK)
                    .map(m -> Signs.mentions(NULL_CHECK.matcher(method).replaceAll(" "), m)).orElse(false)
                    && (Signs.find(FILL, method) || Signs.find(SDPA, method));
            case "merge-output" -> mergesOutput(method);
            case "projections" -> Signs.mentionsAny(method, code.namesOf(WQ)) && Signs.mentionsAny(method, code.namesOf(WK))
                    && Signs.mentionsAny(method, code.namesOf(WV));
            case "rotate-q-k" -> Signs.find(NEW_ROPE, code.all()) && Signs.find(APPLY, method);
            case "layer-attention" -> Signs.find(GROUPED_ATTENTION, method) && (Signs.find(CAUSAL, method)
                    || Signs.calls(method, "scaledDotProductAttention").stream()
                            .anyMatch(c -> !c.args().isEmpty() && c.args().get(c.args().size() - 1).equals("true")));
            case "output-projection" -> outputProjection(method, code);
            default -> false;
        };
    }

    private static boolean usesAll(String code, FunctionCode f, int... parameters) {
        for (int p : parameters) {
            if (f.parameter(p).map(name -> !Signs.mentions(code, name)).orElse(true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean readsShape(String code, java.util.Optional<String> parameter) {
        if (parameter.isEmpty()) {
            return false;
        }
        String array = parameter.get();
        return Pattern.compile("(?<![\\w.])" + Pattern.quote(array) + "\\s*\\.\\s*(?:getShape|size)\\s*\\(")
                .matcher(code).find();
    }

    /**
     * The query heads of a group get an axis of their own: a reshape of q, k or v into five axes, a
     * copy of k and v per query head, or a per-head loop that picks key/value head h / r.
     */
    private static boolean groupedLayout(String code, FunctionCode f) {
        List<String> mask = Signs.derived(code, f.parameter(MASK).stream().toList());
        boolean fiveAxes = Signs.calls(code, "reshape").stream()
                .anyMatch(c -> c.args().size() >= 5 && !mask.contains(c.receiver()));
        boolean shared = Stream.of("repeat", "tile", "expandDims").flatMap(m -> Signs.calls(code, m).stream())
                .anyMatch(c -> !c.receiver().isEmpty() && !mask.contains(c.receiver()));
        return fiveAxes || shared || Signs.find(INDEX_BY_QUOTIENT, code);
    }

    /** Softmax, a second product (the values), and the heads put back in order after it. */
    private static boolean mergesOutput(String code) {
        boolean mixed = Signs.find(SDPA, code) || (Signs.find(SOFTMAX, code) && Signs.count(PRODUCT, code) >= 2);
        int last = Math.max(Signs.lastStart(PRODUCT, code), Signs.lastStart(SDPA, code));
        return mixed && last >= 0 && MERGE.matcher(code).find(last + 1);
    }

    /** wo is used after the attention: the heads merged and projected back to the hidden size. */
    private static boolean outputProjection(String code, FunctionCode f) {
        List<String> wo = Signs.derived(code, f.namesOf(WO));
        int attended = Signs.lastStart(GROUPED_ATTENTION, code);
        return attended >= 0 && Signs.mentionsAny(code.substring(attended), wo);
    }
}
