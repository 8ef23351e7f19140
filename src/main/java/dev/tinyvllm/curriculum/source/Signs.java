package dev.tinyvllm.curriculum.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small readings of student code that the part detectors share: counting calls, the arguments of a
 * call, whether a name is really used, and where assignments carry a value. All of it works on the
 * text {@link JavaSource} gives (comments gone, most literals empty).
 */
public final class Signs {

    private static final Pattern IF = Pattern.compile("\\bif\\s*\\(");
    private static final Pattern COMPARISON = Pattern.compile("(?:==|!=|<=|>=|<|>)");
    private static final String NUMBER = "(?<![\\w.])-?\\d[\\d_]*(?:\\.\\d*)?(?:[eE][-+]?\\d+)?[dDfFlL]?";

    /** Students' names repeat from turn to turn; their patterns are kept, a bounded number. */
    private static final Map<String, Pattern> MENTIONS = new ConcurrentHashMap<>();

    private Signs() {}

    public static boolean find(Pattern p, String code) {
        return p.matcher(code).find();
    }

    public static int count(Pattern p, String code) {
        Matcher m = p.matcher(code);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Where the last match of {@code p} starts, -1 when none. */
    public static int lastStart(Pattern p, String code) {
        Matcher m = p.matcher(code);
        int last = -1;
        while (m.find()) {
            last = m.start();
        }
        return last;
    }

    /** Whether {@code name} occurs in {@code code} as a whole word that is not a member of something else. */
    public static boolean mentions(String code, String name) {
        if (MENTIONS.size() > 4096) {
            MENTIONS.clear();
        }
        return MENTIONS.computeIfAbsent(name, n -> Pattern.compile("(?<![\\w.])" + Pattern.quote(n)
                + "\\b|\\bthis\\s*\\.\\s*" + Pattern.quote(n) + "\\b")).matcher(code).find();
    }

    public static boolean mentionsAny(String code, Collection<String> names) {
        return names.stream().anyMatch(n -> mentions(code, n));
    }

    /**
     * The code without its guard clauses ({@code if (...) throw ...;}, braces or not): checking an
     * argument is not using it.
     */
    public static String withoutGuards(String code) {
        StringBuilder out = new StringBuilder();
        Matcher m = IF.matcher(code);
        int last = 0;
        while (m.find(last)) {
            int open = m.end() - 1;
            int close = matching(code, open, '(', ')');
            int i = skipSpace(code, close + 1);
            boolean braced = i < code.length() && code.charAt(i) == '{';
            if (braced) {
                i = skipSpace(code, i + 1);
            }
            if (!code.startsWith("throw", i)) {
                out.append(code, last, m.end());
                last = m.end();
                continue;
            }
            int end = code.indexOf(';', i);
            end = end < 0 ? code.length() : end + 1;
            if (braced) {
                int j = skipSpace(code, end);
                end = j < code.length() && code.charAt(j) == '}' ? j + 1 : end;
            }
            out.append(code, last, m.start());
            last = end;
        }
        out.append(code.substring(Math.min(last, code.length())));
        return out.toString();
    }

    /**
     * Whether one of the names is used for something other than being compared with a number
     * ({@code topK > 0} only switches a filter on) or checked in a guard clause.
     */
    public static boolean usedBeyondSwitches(String code, Collection<String> names) {
        String c = withoutGuards(code);
        for (String name : names) {
            String n = "(?:\\bthis\\s*\\.\\s*|(?<![\\w.]))" + Pattern.quote(name) + "\\b";
            String stripped = c.replaceAll(n + "\\s*" + COMPARISON.pattern() + "\\s*" + NUMBER, " ")
                    .replaceAll(NUMBER + "\\s*" + COMPARISON.pattern() + "\\s*" + n, " ");
            if (mentions(stripped, name)) {
                return true;
            }
        }
        return false;
    }

    /** One call of a method: the text just before the dot, and its arguments split at the top level. */
    public record Call(String receiver, List<String> args, int start, int end) {}

    /** Every call of the method named {@code method} ({@code .reshape(...)} and {@code reshape(...)}). */
    public static List<Call> calls(String code, String method) {
        List<Call> calls = new ArrayList<>();
        Matcher m = Pattern.compile("(?<!\\w)" + Pattern.quote(method) + "\\s*\\(").matcher(code);
        while (m.find()) {
            int open = m.end() - 1;
            int close = matching(code, open, '(', ')');
            String receiver = "";
            int dot = m.start() - 1;
            while (dot >= 0 && Character.isWhitespace(code.charAt(dot))) {
                dot--;
            }
            if (dot >= 0 && code.charAt(dot) == '.') {
                Matcher r = Pattern.compile("(\\w+)\\s*$").matcher(code.substring(Math.max(0, dot - 80), dot));
                receiver = r.find() ? r.group(1) : ")";
            }
            calls.add(new Call(receiver, splitArgs(code.substring(open + 1, Math.min(close, code.length()))), m.start(),
                    close + 1));
        }
        return calls;
    }

    public static List<String> splitArgs(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(args.substring(start, i).strip());
                start = i + 1;
            }
        }
        String tail = args.substring(start).strip();
        if (!tail.isEmpty() || !out.isEmpty()) {
            out.add(tail);
        }
        return out;
    }

    /** The statements of the code, split at semicolons and braces: enough to follow a value from line to line. */
    public static List<String> statements(String code) {
        List<String> out = new ArrayList<>();
        for (String s : code.split("[;{}]")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^(?:[\\w.<>\\[\\]]+\\s+)?(?:this\\s*\\.\\s*)?(\\w+)\\s*=(?!=)(.*)$", Pattern.DOTALL);

    /** The variables assigned from a right-hand side that {@code rhs} accepts, in order, each once. */
    public static List<String> assignedFrom(String code, java.util.function.Predicate<String> rhs) {
        List<String> names = new ArrayList<>();
        for (String s : statements(code)) {
            Matcher a = ASSIGNMENT.matcher(s);
            if (a.matches() && !names.contains(a.group(1)) && rhs.test(a.group(2))) {
                names.add(a.group(1));
            }
        }
        return names;
    }

    /**
     * The names that hold a value derived from one of {@code sources}: the sources and every variable
     * assigned from an expression that mentions one of them, followed through the code once in order.
     */
    public static List<String> derived(String code, Collection<String> sources) {
        return derived(code, sources, rhs -> false);
    }

    /** As {@link #derived(String, Collection)}, and also every variable assigned from an expression {@code from} accepts. */
    public static List<String> derived(String code, Collection<String> sources, java.util.function.Predicate<String> from) {
        List<String> names = new ArrayList<>(sources);
        for (String s : statements(code)) {
            Matcher a = ASSIGNMENT.matcher(s);
            if (a.matches() && !names.contains(a.group(1)) && (mentionsAny(a.group(2), names) || from.test(a.group(2)))) {
                names.add(a.group(1));
            }
        }
        return names;
    }

    private static int skipSpace(String code, int i) {
        while (i < code.length() && Character.isWhitespace(code.charAt(i))) {
            i++;
        }
        return i;
    }

    public static int matching(String code, int open, char o, char c) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == o) {
                depth++;
            } else if (ch == c && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }
}
