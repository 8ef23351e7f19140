package dev.tinyvllm.tutor.source;

import dev.tinyvllm.leak.JavaTokens;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods of a student's Java file, found by their headers and matching braces, comments and
 * string literals removed. Enough to tell which parts of an exercise a method already has; not a
 * parser, and it does not need to be one: student code that confuses it only makes the tutor ask a
 * more general question.
 */
public final class JavaSource {

    private static final Pattern METHOD = Pattern.compile(
            "(?:(?:public|private|protected|static|final|synchronized)\\s+)+[\\w<>\\[\\],.? ]+?\\s+(\\w+)\\s*\\(([^)]*)\\)"
                    + "\\s*(?:throws\\s+[\\w.,\\s]+)?\\{");
    private static final int MAX_INLINE_DEPTH = 4;

    private final Map<String, String> bodies;

    private JavaSource(Map<String, String> bodies) {
        this.bodies = bodies;
    }

    public static JavaSource parse(String source) {
        String code = JavaTokens.stripComments(source);
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher m = METHOD.matcher(code);
        int from = 0;
        while (m.find(from)) {
            int open = m.end() - 1;
            int close = matchingBrace(code, open);
            String name = m.group(1);
            // Overloads are rare here; the first one wins, the others add to it.
            bodies.merge(name, code.substring(open + 1, close), (a, b) -> a + "\n" + b);
            from = close;
        }
        return new JavaSource(bodies);
    }

    private static int matchingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }

    public boolean has(String method) {
        return bodies.containsKey(method);
    }

    public Optional<String> body(String method) {
        return Optional.ofNullable(bodies.get(method));
    }

    /** Whether the method is still the skeleton: its body does nothing but throw UnsupportedOperationException. */
    public boolean isSkeleton(String method) {
        String body = bodies.get(method);
        return body != null && body.replaceAll("\\s+", "").startsWith("thrownewUnsupportedOperationException");
    }

    /**
     * The method's body with the body of every other method of the file it calls written in at the
     * call, recursively: what the method does, in roughly the order it does it, however the student
     * split it into helpers.
     */
    public String inlined(String method) {
        String body = bodies.get(method);
        return body == null ? "" : inline(body, new HashSet<>(Set.of(method)), 0);
    }

    private String inline(String body, Set<String> seen, int depth) {
        if (depth >= MAX_INLINE_DEPTH) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        Matcher call = Pattern.compile("\\b(\\w+)\\s*\\(").matcher(body);
        int last = 0;
        while (call.find()) {
            String name = call.group(1);
            boolean isMember = call.start() > 0 && body.charAt(call.start() - 1) == '.';
            if (isMember || !bodies.containsKey(name) || seen.contains(name)) {
                continue;
            }
            out.append(body, last, call.start());
            Set<String> inner = new HashSet<>(seen);
            inner.add(name);
            out.append(" { ").append(inline(bodies.get(name), inner, depth + 1)).append(" } ");
            last = call.start();
        }
        out.append(body.substring(last));
        return out.toString();
    }
}
