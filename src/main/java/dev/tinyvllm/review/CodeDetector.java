package dev.tinyvllm.review;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds code in a tutor message: fenced blocks, inline code spans and bare lines that read as Java
 * statements, each only when it holds more than a few tokens. Naming an identifier (`mask`,
 * `headDim`) or a short call is how a Socratic tutor points at things, so it is not code here; shell
 * commands are tooling help, which the tutor may give, so they are not code either.
 *
 * <p>The tutor's guard (issue 3) needs the same judgement before a message is shown; this is the
 * review's copy, written to be shared.
 */
public final class CodeDetector {

    /** "Beyond a few tokens": `mask.not()` (5 tokens) passes, `scores.softmax(-1)` (7) is code. */
    public static final int MIN_TOKENS = 6;

    private static final int MAX_EXCERPT = 300;

    /**
     * One piece of code in a message.
     *
     * @param kind {@code fenced block}, {@code inline code} or {@code code lines}
     * @param excerpt the code as written (cut to a few hundred characters)
     * @param start where it starts in the message
     * @param end where it ends, exclusive
     */
    public record Finding(String kind, String excerpt, int tokens, int start, int end) {

        public String detail() {
            return kind + ", " + tokens + " tokens";
        }
    }

    private static final Pattern FENCE = Pattern.compile("```[^\\n`]*\\n?(.*?)(?:```|\\z)", Pattern.DOTALL);
    private static final Pattern INLINE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern SHELL = Pattern.compile(
            "^(\\$\\s|(mvn|tutor|java|javac|jshell|cd|ls|cat|export|git|apt|apt-get|sudo|sdk|brew|echo|scripts/\\S+|\\./\\S+)(\\s|$))");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^(final\\s+)?([\\w.<>\\[\\]]+\\s+)?[\\w.\\[\\]]+\\s*([-+*/]?=)\\s*[^=\\s].*");
    private static final Pattern STATEMENT_START = Pattern.compile("^(return|for|while|if|else|var|import|package)\\b.*[(=;].*");

    private CodeDetector() {}

    public static boolean hasCode(String text) {
        return !find(text).isEmpty();
    }

    public static List<Finding> find(String text) {
        List<Finding> findings = new ArrayList<>();
        // Each pass blanks what it has looked at, keeping offsets, so that no code is counted twice.
        char[] masked = text.toCharArray();

        Matcher fence = FENCE.matcher(text);
        while (fence.find()) {
            String body = fence.group(1);
            int tokens = 0;
            for (String line : body.split("\n", -1)) {
                if (!isShell(line)) {
                    tokens += CodeTokens.of(line).size();
                }
            }
            if (tokens >= MIN_TOKENS) {
                findings.add(new Finding("fenced block", excerpt(body), tokens, fence.start(), fence.end()));
            }
            blank(masked, fence.start(), fence.end());
        }

        String afterFences = new String(masked);
        Matcher inline = INLINE.matcher(afterFences);
        while (inline.find()) {
            String body = inline.group(1);
            int tokens = CodeTokens.of(body).size();
            if (tokens >= MIN_TOKENS && !isShell(body)) {
                findings.add(new Finding("inline code", excerpt(body), tokens, inline.start(), inline.end()));
            }
            blank(masked, inline.start(), inline.end());
        }

        String rest = new String(masked);
        int lineStart = 0;
        int runStart = -1;
        int runEnd = -1;
        int runTokens = 0;
        while (lineStart <= rest.length()) {
            int newline = rest.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? rest.length() : newline;
            String line = rest.substring(lineStart, lineEnd);
            if (isCodeLine(line)) {
                if (runStart < 0) {
                    runStart = lineStart + leadingSpaces(line);
                }
                runEnd = lineEnd;
                runTokens += CodeTokens.of(line).size();
            } else if (!line.isBlank() || runStart < 0) {
                addRun(findings, text, runStart, runEnd, runTokens);
                runStart = -1;
                runTokens = 0;
            }
            if (newline < 0) {
                break;
            }
            lineStart = newline + 1;
        }
        addRun(findings, text, runStart, runEnd, runTokens);
        findings.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return List.copyOf(findings);
    }

    /** A line that reads as a Java statement rather than as a sentence about one. */
    static boolean isCodeLine(String raw) {
        String line = raw.strip();
        if (line.isEmpty() || isShell(line)) {
            return false;
        }
        List<CodeTokens.Token> tokens = CodeTokens.of(line);
        if (tokens.size() < 3) {
            return false;
        }
        long symbols = tokens.stream().filter(CodeTokens.Token::symbol).count();
        if (symbols * 10 < tokens.size() * 3) {
            return false;
        }
        return line.endsWith(";") || line.endsWith("{") || line.endsWith("}")
                || ASSIGNMENT.matcher(line).matches() || STATEMENT_START.matcher(line).matches();
    }

    static boolean isShell(String line) {
        return SHELL.matcher(line.strip()).find();
    }

    private static void addRun(List<Finding> findings, String text, int start, int end, int tokens) {
        if (start >= 0 && tokens >= MIN_TOKENS) {
            findings.add(new Finding("code lines", excerpt(text.substring(start, end)), tokens, start, end));
        }
    }

    private static int leadingSpaces(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
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
