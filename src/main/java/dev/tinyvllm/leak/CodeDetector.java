package dev.tinyvllm.leak;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds code in a tutor message: a fenced block, an inline span that is more than a name or a shape,
 * or lines of prose that hold Java statements or calls with arguments. "A few tokens" is
 * {@value #MAX_TOKENS}: enough for {@code Kernels.scaledDotProductAttention}, {@code mask.not()} or
 * a shape such as {@code [batch, numHeads * headDim]}, not for an expression that is the fix. A
 * fence says "this is code" by itself, so a fenced block may hold only {@value #MAX_FENCED_TOKENS}.
 * Shell commands are tooling help, which the tutor may give, so they are never code here.
 */
public final class CodeDetector {

    /** The most tokens an inline span or the code in a line of prose may hold. */
    public static final int MAX_TOKENS = 5;

    /** The most tokens a fenced block (shell lines aside) may hold. */
    public static final int MAX_FENCED_TOKENS = 3;

    public static final String FENCED = "fenced block";
    public static final String INLINE = "inline code";
    public static final String LINES = "code lines";

    private static final int MAX_EXCERPT = 300;

    /**
     * One piece of code in a message.
     *
     * @param kind {@value #FENCED}, {@value #INLINE} or {@value #LINES}
     * @param excerpt the code as written, cut to a few hundred characters
     * @param start where it starts in the message
     * @param end where it ends, exclusive
     */
    public record Finding(String kind, String excerpt, int tokens, int start, int end) {

        public String detail() {
            return kind + ", " + tokens + " tokens";
        }
    }

    private static final Pattern FENCE = Pattern.compile("```[^\\n`]*\\n?(.*?)(?:```|\\z)", Pattern.DOTALL);
    private static final Pattern INLINE_SPAN = Pattern.compile("`([^`\\n]+)`");
    /** Only names, numbers, commas, brackets and arithmetic: a shape such as [batch, numHeads * headDim]. */
    private static final Pattern SHAPE = Pattern.compile("[\\[(]?[\\w\\s,*+/-]*[\\])]?");
    private static final Pattern STATEMENT_SIGN = Pattern.compile("=(?!=)|;|\\{|\\}|->");
    private static final Pattern SHELL = Pattern.compile(
            "^(\\$\\s|(mvn|tutor|java|javac|jshell|cd|ls|cat|export|git|apt|apt-get|sudo|sdk|brew|echo|scripts/\\S+|\\./\\S+)(\\s|$))");

    /** A line of prose ending in a semicolon is code only when it is mostly symbols. */
    private static final Pattern STATEMENT_END = Pattern.compile("\\S.*;\\s*$");
    /** Code inside a line of prose; it starts at the word the match starts in. */
    private static final List<Pattern> CODE_IN_PROSE = List.of(
            Pattern.compile("\\)\\s*\\{\\s*$"),                                         // a block opening
            Pattern.compile("\\b(?:[A-Z]\\w*(?:<[^>]*>)?(?:\\[\\])?|int|long|float|double|boolean|var)\\s+[a-z_]\\w*\\s*=[^=]"), // a declaration
            Pattern.compile("\\b[A-Za-z_]\\w*\\s*=\\s*[A-Za-z_][\\w.]*\\s*\\("),          // assigning a call
            Pattern.compile("\\b[A-Za-z_]\\w*\\.[A-Za-z_]\\w*\\s*\\([^()\\n]*[\\w-][^()\\n]*\\)"), // receiver.call(args)
            Pattern.compile("\\)\\s*\\.\\s*[A-Za-z_]\\w*\\s*\\("),                       // a chained call
            Pattern.compile("\\breturn\\s+[^\\n]*;"));
    /** A whole line that is a statement: an assignment, or a keyword that opens one. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^(final\\s+)?([\\w.<>\\[\\]]+\\s+)?[\\w.\\[\\]]+\\s*([-+*/]?=)\\s*[^=\\s].*");
    private static final Pattern STATEMENT_START = Pattern.compile("^(return|for|while|if|else|var|import|package)\\b.*[(=;].*");

    private CodeDetector() {}

    public static boolean hasCode(String message) {
        return !find(message).isEmpty();
    }

    /** Every piece of code in the message, in the order written; each character counts once. */
    public static List<Finding> find(String message) {
        List<Finding> findings = new ArrayList<>();
        // Each pass blanks what it has judged, keeping offsets, so that no code is counted twice.
        char[] masked = message.toCharArray();

        Matcher fence = FENCE.matcher(message);
        while (fence.find()) {
            String body = fence.group(1);
            int tokens = 0;
            for (String line : body.split("\n", -1)) {
                if (!isShell(line)) {
                    tokens += JavaTokens.of(line).size();
                }
            }
            if (tokens > MAX_FENCED_TOKENS) {
                findings.add(new Finding(FENCED, excerpt(body), tokens, fence.start(), fence.end()));
            }
            blank(masked, fence.start(), fence.end());
        }

        Matcher inline = INLINE_SPAN.matcher(new String(masked));
        while (inline.find()) {
            String span = inline.group(1);
            if (isShell(span)) {
                blank(masked, inline.start(), inline.end());
                continue;
            }
            int tokens = JavaTokens.of(span).size();
            boolean statement = STATEMENT_SIGN.matcher(span).find() && tokens >= 3;
            if (statement || (tokens > MAX_TOKENS && !SHAPE.matcher(span).matches())) {
                findings.add(new Finding(INLINE, excerpt(span), tokens, inline.start(), inline.end()));
                blank(masked, inline.start(), inline.end());
            }
        }

        proseLines(message, masked, findings);
        findings.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return List.copyOf(findings);
    }

    /**
     * Lines of what is left that hold code; consecutive ones (blank lines between them allowed) make
     * one finding. A short span in backticks reads as part of its sentence here, so that code split
     * over several spans is still seen.
     */
    private static void proseLines(String message, char[] masked, List<Finding> findings) {
        StringBuilder prose = new StringBuilder(masked.length);
        int[] at = new int[masked.length + 1];
        for (int i = 0; i < masked.length; i++) {
            if (masked[i] != '`') {
                at[prose.length()] = i;
                prose.append(masked[i]);
            }
        }
        at[prose.length()] = masked.length;
        String text = prose.toString();

        int runStart = -1;
        int runEnd = -1;
        int runTokens = 0;
        int lineStart = 0;
        while (lineStart <= text.length()) {
            int newline = text.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.length() : newline;
            String line = text.substring(lineStart, lineEnd);
            int code = codeStart(line);
            if (code >= 0) {
                if (runStart < 0) {
                    runStart = lineStart + code;
                }
                runEnd = lineEnd;
                runTokens += JavaTokens.of(line.substring(code)).size();
            } else if (!line.isBlank() || runStart < 0) {
                addRun(findings, message, at, runStart, runEnd, runTokens);
                runStart = -1;
                runTokens = 0;
            }
            if (newline < 0) {
                break;
            }
            lineStart = newline + 1;
        }
        addRun(findings, message, at, runStart, runEnd, runTokens);
    }

    /** Where the code in a line of prose starts, or -1 when the line holds none. */
    static int codeStart(String line) {
        if (line.isBlank() || isShell(line)) {
            return -1;
        }
        int start = Integer.MAX_VALUE;
        for (Pattern p : CODE_IN_PROSE) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                start = Math.min(start, wordStart(line, m.start()));
            }
        }
        Matcher end = STATEMENT_END.matcher(line);
        if (end.find() && mostlySymbols(JavaTokens.of(line.substring(end.start())))) {
            start = Math.min(start, end.start());
        }
        String stripped = line.strip();
        if (isStatement(stripped)) {
            start = Math.min(start, line.length() - line.stripLeading().length());
        }
        return start == Integer.MAX_VALUE ? -1 : start;
    }

    /** A whole line that reads as a Java statement rather than as a sentence about one. */
    private static boolean isStatement(String line) {
        List<JavaTokens.Token> tokens = JavaTokens.of(line);
        if (tokens.size() < 3 || !mostlySymbols(tokens)) {
            return false;
        }
        return line.endsWith(";") || line.endsWith("{") || line.endsWith("}")
                || ASSIGNMENT.matcher(line).matches() || STATEMENT_START.matcher(line).matches();
    }

    /** At least three tokens in ten are symbols: code is, prose with a stray semicolon is not. */
    private static boolean mostlySymbols(List<JavaTokens.Token> tokens) {
        long symbols = tokens.stream().filter(JavaTokens.Token::symbol).count();
        return symbols * 10 >= tokens.size() * 3L;
    }

    /** Shell commands: help with tooling, which the tutor may give. A line that ends as a Java statement is not one. */
    static boolean isShell(String line) {
        String s = line.strip();
        return SHELL.matcher(s).find() && !(s.endsWith(";") || s.endsWith("{") || s.endsWith("}"));
    }

    /** Code in prose starts at the word the match starts in: for a call, its receiver; for a declaration, its type. */
    private static int wordStart(String line, int matchStart) {
        int i = matchStart;
        while (i > 0 && !Character.isWhitespace(line.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static void addRun(List<Finding> findings, String message, int[] at, int start, int end, int tokens) {
        if (start >= 0 && tokens > MAX_TOKENS) {
            int from = at[start];
            int to = at[end - 1] + 1;
            while (to > from && Character.isWhitespace(message.charAt(to - 1))) {
                to--;
            }
            findings.add(new Finding(LINES, excerpt(message.substring(from, to)), tokens, from, to));
        }
    }

    private static void blank(char[] chars, int start, int end) {
        for (int i = start; i < end; i++) {
            if (chars[i] != '\n') {
                chars[i] = ' ';
            }
        }
    }

    static String excerpt(String code) {
        String s = code.strip();
        return s.length() <= MAX_EXCERPT ? s : s.substring(0, MAX_EXCERPT - 1) + "…";
    }
}
