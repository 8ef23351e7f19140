package dev.tinyvllm.tutor.guard;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds code in a tutor message: a fenced block, an inline span that is more than a name or a shape,
 * or a line of prose that holds a Java statement or a call with arguments. "A few tokens" is
 * {@value #MAX_TOKENS}: enough for {@code Kernels.scaledDotProductAttention} or {@code mask}, not for
 * an expression that is the fix.
 */
public final class CodeDetector {

    public static final int MAX_TOKENS = 5;

    /** What was found, where, and how much. */
    public record Finding(String kind, String segment, int tokens) {}

    private static final Pattern FENCE = Pattern.compile("```[^\\n]*\\n?(.*?)(```|\\z)", Pattern.DOTALL);
    private static final Pattern INLINE = Pattern.compile("`([^`\\n]+)`");
    /** Only names, numbers, commas, brackets and arithmetic: a shape such as [batch, numHeads * headDim]. */
    private static final Pattern SHAPE = Pattern.compile("[\\[(]?[\\w\\s,*+/-]*[\\])]?");
    private static final Pattern STATEMENT_SIGN = Pattern.compile("=(?!=)|;|\\{|\\}|->");
    private static final List<Pattern> STATEMENT_LINES = List.of(
            Pattern.compile("\\S.*;\\s*$"),                                            // a statement end
            Pattern.compile("\\)\\s*\\{\\s*$"),                                         // a block opening
            Pattern.compile("\\b(?:[A-Z]\\w*(?:<[^>]*>)?(?:\\[\\])?|int|long|float|double|boolean|var)\\s+[a-z_]\\w*\\s*=[^=]"), // a declaration
            Pattern.compile("\\b[A-Za-z_]\\w*\\s*=\\s*[A-Za-z_][\\w.]*\\s*\\("),          // assigning a call
            Pattern.compile("\\b[A-Za-z_]\\w*\\.[A-Za-z_]\\w*\\s*\\([^()\\n]*[\\w-][^()\\n]*\\)"), // receiver.call(args)
            Pattern.compile("\\)\\s*\\.\\s*[A-Za-z_]\\w*\\s*\\("),                       // a chained call
            Pattern.compile("\\breturn\\s+[^\\n]*;"));

    public Optional<Finding> find(String message) {
        Matcher fence = FENCE.matcher(message);
        while (fence.find()) {
            int tokens = JavaTokens.tokens(fence.group(1)).size();
            if (tokens > 3) {
                return Optional.of(new Finding("a fenced code block of " + lines(fence.group(1)) + " lines",
                        fence.group(1).strip(), tokens));
            }
        }
        String outsideFences = FENCE.matcher(message).replaceAll(" ");
        Matcher inline = INLINE.matcher(outsideFences);
        while (inline.find()) {
            String span = inline.group(1);
            int tokens = JavaTokens.tokens(span).size();
            boolean statement = STATEMENT_SIGN.matcher(span).find() && tokens >= 3;
            if (statement || (tokens > MAX_TOKENS && !SHAPE.matcher(span).matches())) {
                return Optional.of(new Finding("inline code of " + tokens + " tokens", span, tokens));
            }
        }
        String prose = INLINE.matcher(outsideFences).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        for (String line : prose.split("\n")) {
            for (Pattern p : STATEMENT_LINES) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    String segment = line.substring(lineStart(line, m.start()));
                    int tokens = JavaTokens.tokens(segment).size();
                    if (tokens > MAX_TOKENS) {
                        return Optional.of(new Finding("a line of code in the text", segment.strip(), tokens));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Code in prose starts at the word before the match: for a call, its receiver; for a declaration, its type. */
    private static int lineStart(String line, int matchStart) {
        int i = matchStart;
        while (i > 0 && !Character.isWhitespace(line.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static int lines(String block) {
        return (int) block.strip().lines().count();
    }
}
