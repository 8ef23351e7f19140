package dev.tinyvllm.steps.week1.qwen2block;

import dev.tinyvllm.curriculum.source.FunctionCode;
import dev.tinyvllm.curriculum.source.PartDetector;
import dev.tinyvllm.curriculum.source.Signs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of week1/qwen2-block (prompts/steps/week1/qwen2-block.md): the wiring of four layers the
 * constructor receives (input norm, attention, post-attention norm, MLP, in that order). Each layer
 * is followed from its constructor parameter into the student's field, and each value from the
 * layer that makes it into the variables that hold it, so the reading does not depend on names.
 */
public final class BlockParts implements PartDetector {

    private static final Map<String, List<String>> PARTS = Map.of(
            "Qwen2Block.forward", List.of("pre-norm", "attention-branch", "first-residual", "second-norm", "mlp-branch",
                    "second-residual"));

    private static final int INPUT_NORM = 0;
    private static final int ATTENTION = 1;
    private static final int POST_NORM = 2;
    private static final int MLP = 3;
    private static final int X = 0;

    private static final Pattern ADD = Pattern.compile("\\badd\\s*\\(|\\baddi\\s*\\(");

    @Override
    public List<String> partsOf(String function) {
        return PARTS.getOrDefault(function, List.of());
    }

    @Override
    public boolean has(String part, FunctionCode code) {
        String method = Signs.withoutGuards(code.inlined());
        return switch (part) {
            case "pre-norm" -> runs(method, code.namesOf(INPUT_NORM));
            case "attention-branch" -> runs(method, code.namesOf(ATTENTION));
            case "first-residual" -> addsTo(method, code, ATTENTION, code.parameter(X).stream().toList());
            case "second-norm" -> runs(method, code.namesOf(POST_NORM));
            case "mlp-branch" -> runs(method, code.namesOf(MLP));
            case "second-residual" -> addsTo(method, code, MLP, residual(method, code));
            default -> false;
        };
    }

    /** Whether one of the layer's names has its {@code forward} called. */
    private static boolean runs(String code, Set<String> layer) {
        return layer.stream().anyMatch(n -> Pattern.compile("(?:(?<![\\w.])|\\bthis\\s*\\.\\s*)" + Pattern.quote(n)
                + "\\s*\\.\\s*forward\\s*\\(").matcher(code).find());
    }

    /** A sum (DJL's {@code add}) of one of {@code stream}'s names and the layer's output, in one statement. */
    private static boolean addsTo(String code, FunctionCode f, int layer, List<String> stream) {
        Set<String> names = f.namesOf(layer);
        List<String> outputs = outputsOf(code, f, names);
        for (String s : Signs.statements(code)) {
            if (Signs.find(ADD, s) && Signs.mentionsAny(s, stream) && (callsLayer(s, f, names)
                    || Signs.mentionsAny(s, outputs))) {
                return true;
            }
        }
        return false;
    }

    /** The variables assigned from a call of the layer's {@code forward}, directly or through a helper. */
    private static List<String> outputsOf(String code, FunctionCode f, Set<String> layer) {
        return Signs.assignedFrom(code, rhs -> callsLayer(rhs, f, layer));
    }

    private static boolean callsLayer(String text, FunctionCode f, Set<String> layer) {
        return f.reaches(text, t -> runs(t, layer));
    }

    /**
     * The residual stream between the two branches: the variables set from a sum that involves the
     * attention's output (x itself when the student updates it in place), x when there is none.
     */
    private static List<String> residual(String code, FunctionCode f) {
        Set<String> attention = f.namesOf(ATTENTION);
        List<String> attended = outputsOf(code, f, attention);
        List<String> h = Signs.assignedFrom(code, rhs -> f.reaches(rhs, t -> Signs.find(ADD, t))
                && (callsLayer(rhs, f, attention) || Signs.mentionsAny(rhs, attended)));
        return h.isEmpty() ? f.parameter(X).stream().toList() : h;
    }
}
