package dev.tinyvllm.curriculum.source;

import dev.tinyvllm.leak.JavaTokens;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The methods and constructors of a student's Java files, found class by class from their headers
 * and matching braces, comments and most string literals removed. Enough to tell which parts of an
 * exercise a method already has; not a parser, and it does not need to be one: student code that
 * confuses it only makes the tutor ask a more general question.
 *
 * <p>Members are named {@code method} or {@code Class.method}; a constructor is {@code Class.<init>}.
 * String literals that look like DJL index expressions ({@code "..., :{}"}) are kept, because they
 * are where a student says which slice they take; every other literal becomes {@code ""}, so words
 * in messages never read as code.
 */
public final class JavaSource {

    /** The name a constructor is kept under, as the JVM names it. */
    public static final String CONSTRUCTOR = "<init>";

    /** One method or constructor: its class, its name, its parameters' names and its body. */
    private record Member(String className, String name, List<String> parameters, String body) {}

    private static final String MODIFIERS =
            "(?:(?:public|private|protected|static|final|synchronized|abstract|native|strictfp|default)\\s+)*";
    private static final String THROWS = "\\s*(?:throws\\s+[\\w.,\\s]+)?";
    private static final Pattern METHOD_HEADER = Pattern.compile(
            MODIFIERS + "(?:<[^{};]*?>\\s*)?([\\w<>\\[\\],.?\\s]+?)\\s+(\\w+)\\s*\\(([^()]*)\\)" + THROWS, Pattern.DOTALL);
    private static final Pattern CONSTRUCTOR_HEADER = Pattern.compile(
            MODIFIERS + "(?:<[^{};]*?>\\s*)?(\\w+)\\s*\\(([^()]*)\\)" + THROWS, Pattern.DOTALL);
    private static final Pattern TYPE_DECLARATION = Pattern.compile("\\b(?:class|interface|enum|record)\\s+(\\w+)");
    private static final Pattern ANNOTATION = Pattern.compile("@\\w+(?:\\.\\w+)*(?:\\s*\\([^()]*\\))?");
    private static final Set<String> KEYWORDS = Set.of("if", "for", "while", "switch", "catch", "synchronized", "return",
            "new", "else", "throw", "try", "do", "case", "assert");
    private static final Pattern INDEX_LITERAL = Pattern.compile("[\\s\\d:,.{}+\\-]*[:,.{][\\s\\d:,.{}+\\-]*");
    private static final Pattern CALL = Pattern.compile("\\b(\\w+)\\s*\\(");
    private static final int MAX_INLINE_DEPTH = 4;

    private final List<Member> members;

    private JavaSource(List<Member> members) {
        this.members = List.copyOf(members);
    }

    public static JavaSource parse(String source) {
        String code = strip(source);
        List<Member> members = new ArrayList<>();
        scan(code, 0, code.length(), null, members);
        return new JavaSource(members);
    }

    /**
     * Reads one class body (or the top of a file, where {@code className} is null): every brace
     * opened at this level is a nested type, a member, or something to step over.
     */
    private static void scan(String code, int from, int to, String className, List<Member> out) {
        int headerStart = from;
        for (int i = from; i < to; i++) {
            char c = code.charAt(i);
            if (c == ';' || c == '}') {
                headerStart = i + 1;
            } else if (c == '{') {
                int close = Math.min(matchingBrace(code, i), to);
                String header = ANNOTATION.matcher(code.substring(headerStart, i)).replaceAll(" ").strip();
                Matcher type = TYPE_DECLARATION.matcher(header);
                if (type.find()) {
                    scan(code, i + 1, close, type.group(1), out);
                } else {
                    member(header, className, code.substring(i + 1, close)).ifPresent(out::add);
                }
                i = close;
                headerStart = close + 1;
            }
        }
    }

    private static Optional<Member> member(String header, String className, String body) {
        Matcher ctor = CONSTRUCTOR_HEADER.matcher(header);
        if (className != null && ctor.matches() && ctor.group(1).equals(className)) {
            return Optional.of(new Member(className, CONSTRUCTOR, parameterNames(ctor.group(2)), body));
        }
        Matcher m = METHOD_HEADER.matcher(header);
        if (m.matches() && !KEYWORDS.contains(m.group(2)) && !KEYWORDS.contains(m.group(1).strip())) {
            return Optional.of(new Member(className == null ? "" : className, m.group(2), parameterNames(m.group(3)), body));
        }
        return Optional.empty();
    }

    /** The last word of each parameter, commas inside type arguments skipped. */
    private static List<String> parameterNames(String list) {
        List<String> names = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String p = list.substring(start, i).strip();
                Matcher last = Pattern.compile("(\\w+)\\s*(?:\\[\\s*])*$").matcher(p);
                if (!p.isEmpty() && last.find()) {
                    names.add(last.group(1));
                }
                start = i + 1;
            }
        }
        return names;
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

    /** Comments removed; string and character literals emptied unless they look like an index expression. */
    static String strip(String source) {
        return JavaTokens.stripComments(source, content -> INDEX_LITERAL.matcher(content).matches());
    }

    /** The members a name stands for: {@code Class.method} in that class, a bare name in any class. */
    private List<Member> find(String name) {
        int dot = name.lastIndexOf('.');
        String cls = dot < 0 ? null : name.substring(0, dot);
        String simple = name.substring(dot + 1);
        return members.stream().filter(m -> m.name().equals(simple) && (cls == null || m.className().equals(cls))).toList();
    }

    public boolean has(String member) {
        return !find(member).isEmpty();
    }

    /** The member's body; overloads, and a bare name found in several classes, add up. */
    public Optional<String> body(String member) {
        List<Member> found = find(member);
        return found.isEmpty() ? Optional.empty()
                : Optional.of(found.stream().map(Member::body).collect(Collectors.joining("\n")));
    }

    /** The parameter names of the member (of its first overload), as the student wrote them. */
    public List<String> parameters(String member) {
        List<Member> found = find(member);
        return found.isEmpty() ? List.of() : found.get(0).parameters();
    }

    /** The class that holds the member (its first overload); empty for code outside any class. */
    public Optional<String> classOf(String member) {
        return find(member).stream().findFirst().map(Member::className).filter(c -> !c.isEmpty());
    }

    /** The names of the methods (not constructors) of a class, each once, in the order written. */
    public List<String> methodsOf(String className) {
        return members.stream().filter(m -> m.className().equals(className) && !m.name().equals(CONSTRUCTOR))
                .map(Member::name).distinct().toList();
    }

    /** Whether the member is still the skeleton: its body does nothing but throw UnsupportedOperationException. */
    public boolean isSkeleton(String member) {
        return body(member).map(b -> b.replaceAll("\\s+", "").startsWith("thrownewUnsupportedOperationException"))
                .orElse(false);
    }

    /**
     * The member's body with the body of every other method of the files it calls written in just
     * before the statement that calls it, recursively (so statements stay whole): what the member
     * does, in roughly the order it does it, however the student split it into helpers, in this
     * class or in a helper class of their own. A call on an object (a field, a parameter, an array)
     * is left alone: that is another layer's business.
     */
    public String inlined(String member) {
        return inlined(member, Set.of());
    }

    /**
     * As {@link #inlined(String)}, but calls qualified by one of the {@code opaque} classes stay as
     * they are: those classes hold other functions of the step, which are judged on their own.
     */
    public String inlined(String member, Set<String> opaque) {
        List<Member> found = find(member);
        StringBuilder out = new StringBuilder();
        for (Member m : found) {
            out.append(inline(m.body(), m.className(), opaque, new HashSet<>(Set.of(m.className() + "." + m.name())), 0));
            out.append('\n');
        }
        return out.toString();
    }

    private String inline(String body, String className, Set<String> opaque, Set<String> seen, int depth) {
        if (depth >= MAX_INLINE_DEPTH) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        Matcher call = CALL.matcher(body);
        int last = 0;
        while (call.find()) {
            Optional<Member> callee = local(body, call.start(), call.group(1), className, opaque);
            if (callee.isEmpty() || seen.contains(callee.get().className() + "." + callee.get().name())) {
                continue;
            }
            Member m = callee.get();
            int statement = Math.max(last, statementStart(body, call.start()));
            out.append(body, last, statement);
            Set<String> inner = new HashSet<>(seen);
            inner.add(m.className() + "." + m.name());
            out.append(" { ").append(inline(m.body(), m.className(), opaque, inner, depth + 1)).append(" } ");
            last = statement;
        }
        out.append(body.substring(last));
        return out.toString();
    }

    /** Where the statement holding position {@code at} starts: after the last semicolon or brace before it. */
    private static int statementStart(String body, int at) {
        for (int i = at - 1; i >= 0; i--) {
            char c = body.charAt(i);
            if (c == ';' || c == '{' || c == '}') {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * The method a call reaches when it is one of the student's: a call without a receiver or on
     * {@code this} finds it in the caller's class first, then in any; a call on a class the files
     * declare ({@code Rotations.turn(...)}) finds it in that class. Calls on objects are left alone.
     */
    private Optional<Member> local(String body, int at, String name, String className, Set<String> opaque) {
        int dot = at - 1;
        while (dot >= 0 && Character.isWhitespace(body.charAt(dot))) {
            dot--;
        }
        if (dot >= 0 && body.charAt(dot) == '.') {
            Matcher receiver = Pattern.compile("(\\w+)\\s*$").matcher(body.substring(Math.max(0, dot - 80), dot));
            String owner = receiver.find() ? receiver.group(1) : "";
            String cls = owner.equals("this") ? className : owner;
            if (opaque.contains(cls) && !cls.equals(className)) {
                return Optional.empty();
            }
            return members.stream().filter(m -> m.name().equals(name) && m.className().equals(cls)
                    && !m.name().equals(CONSTRUCTOR)).findFirst();
        }
        if (body.substring(0, at).stripTrailing().endsWith("new")) {
            return Optional.empty();
        }
        List<Member> named = members.stream().filter(m -> m.name().equals(name)).toList();
        return named.stream().filter(m -> m.className().equals(className)).findFirst()
                .or(() -> named.stream().findFirst());
    }
}
