package dev.tinyvllm.curriculum.source;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a part detector reads for one function of a step: the method as written, the method with
 * the helpers it calls written in, and its class's constructor (where a class prepares tables or
 * keeps weights), with the parameter names the student gave. Detectors find a parameter by its
 * position in the skeleton's signature, never by the name the reference solution uses.
 *
 * @param function the step's function name, {@code Class.method} or {@code method}, maybe followed by
 *     a variant in parentheses ({@code RoPE.apply (half-split)})
 * @param body the method's own body
 * @param inlined the method's body with its helpers written in
 * @param parameters the method's parameter names
 * @param constructor the class's constructor with its helpers written in; empty when there is none
 * @param constructorParameters the constructor's parameter names
 * @param helpers the other methods of the class, by name, each with its own helpers written in
 */
public record FunctionCode(String function, String body, String inlined, List<String> parameters,
        String constructor, List<String> constructorParameters, Map<String, String> helpers) {

    private static final Pattern VARIANT = Pattern.compile("\\s*\\(.*\\)\\s*$");

    public FunctionCode {
        parameters = List.copyOf(parameters);
        constructorParameters = List.copyOf(constructorParameters);
        helpers = Map.copyOf(helpers);
    }

    /** The method a step's function name stands for: the name without its variant. */
    public static String member(String function) {
        return VARIANT.matcher(function).replaceFirst("");
    }

    /** The function's code in the student's files; all empty when the method is missing. */
    public static FunctionCode of(JavaSource source, String function) {
        return of(source, function, List.of(function));
    }

    /**
     * The function's code, the step's other graded classes left out of it: a call into
     * {@code GroupedAttention.attention} from the layer is the layer's use of it, not the layer's
     * own code, and its local names must not read as the layer's.
     *
     * @param stepFunctions every function name of the step
     */
    public static FunctionCode of(JavaSource source, String function, Collection<String> stepFunctions) {
        String member = member(function);
        Optional<String> cls = source.classOf(member);
        Set<String> opaque = new HashSet<>();
        for (String f : stepFunctions) {
            String m = member(f);
            if (m.contains(".")) {
                opaque.add(m.substring(0, m.lastIndexOf('.')));
            }
        }
        cls.ifPresent(opaque::remove);
        String ctor = cls.map(c -> c + "." + JavaSource.CONSTRUCTOR).orElse(null);
        Map<String, String> helpers = new LinkedHashMap<>();
        String simple = member.substring(member.lastIndexOf('.') + 1);
        cls.ifPresent(c -> source.methodsOf(c).stream().filter(m -> !m.equals(simple))
                .forEach(m -> helpers.put(m, source.inlined(c + "." + m, opaque))));
        return new FunctionCode(function, source.body(member).orElse(""), source.inlined(member, opaque),
                source.parameters(member), ctor == null ? "" : source.inlined(ctor, opaque),
                ctor == null ? List.of() : source.parameters(ctor), helpers);
    }

    /**
     * Whether the text, or the body of a helper of the class that the text calls, passes the test:
     * {@code h = residual(x)} holds what {@code residual}'s body computes.
     */
    public boolean reaches(String text, Predicate<String> test) {
        if (test.test(text)) {
            return true;
        }
        for (Map.Entry<String, String> h : helpers.entrySet()) {
            if (Pattern.compile("(?:(?<![\\w.])|\\bthis\\s*\\.\\s*)" + Pattern.quote(h.getKey()) + "\\s*\\(")
                    .matcher(text).find() && test.test(h.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** The constructor's and the method's code together, for parts that may live in either. */
    public String all() {
        return constructor + "\n" + inlined;
    }

    public Optional<String> parameter(int index) {
        return index < parameters.size() ? Optional.of(parameters.get(index)) : Optional.empty();
    }

    /**
     * The names a constructor parameter goes by: its own, and every field or variable the constructor
     * sets from it ({@code this.w = wq}, {@code wT = wq.transpose()}, {@code proj = new Linear(wq, bq)}).
     */
    public Set<String> namesOf(int constructorParameter) {
        Set<String> names = new LinkedHashSet<>();
        if (constructorParameter >= constructorParameters.size()) {
            return names;
        }
        String p = Pattern.quote(constructorParameters.get(constructorParameter));
        names.add(constructorParameters.get(constructorParameter));
        Matcher m = Pattern.compile("(?:\\bthis\\s*\\.\\s*)?\\b(\\w+)\\s*=\\s*(?:\\(\\s*\\w+\\s*\\)\\s*)?(?:" + p
                + "\\b|new\\s+[\\w.<>]+\\s*\\((?:[^;]*,)?\\s*" + p + "\\s*[,)])").matcher(constructor);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
