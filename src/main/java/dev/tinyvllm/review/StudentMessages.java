package dev.tinyvllm.review;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** What a line the student typed is: a slash command, a question, a request for the answer. */
public final class StudentMessages {

    private static final Pattern QUESTION_START = Pattern.compile(
            "^(what|why|how|where|when|which|who|whose|is|are|am|do|does|did|can|could|should|would|will|shall|isn't|doesn't|don't|may|must)\\b");

    // Asking to be handed the solution, or to be let off the tutor's rules; phrased many ways, so
    // these patterns aim at the common ones and are tested with each.
    private static final Pattern ANSWER_REQUEST = Pattern.compile(String.join("|",
            "\\b(give|show|tell|send|write|paste|post|print)\\s+(me|us)\\s+(the\\s+|your\\s+|a\\s+)?(full\\s+|complete\\s+|whole\\s+|correct\\s+|right\\s+|working\\s+|final\\s+|actual\\s+)?"
                    + "(answer|solution|code|fix|implementation|line|lines)\\b",
            "(^|[.!?]\\s+)(please\\s+)?(give|show|write|paste|send)\\s+(the\\s+|your\\s+)?(full\\s+|complete\\s+|whole\\s+|correct\\s+|working\\s+|reference\\s+)?(answer|solution|code|implementation)\\b",
            "\\bjust\\s+(tell|give|show|write)\\b",
            "\\bwhat(\\s+is|'s|s)\\s+the\\s+(answer|solution|fix|code)\\b",
            "\\b(write|do|fix|solve|implement|finish|code)\\s+(it|this|that)\\s+for\\s+me\\b",
            "\\b(can|could|would|will)\\s+you\\s+(please\\s+)?(just\\s+)?(write|implement|code|solve|fix|finish|complete)\\b",
            "\\bignore\\s+(your|all|the|any|previous|prior)\\s+(\\w+\\s+)?(rules|instructions|guidelines)\\b",
            "\\bno\\s+more\\s+(questions|hints)\\b"), Pattern.CASE_INSENSITIVE);

    private StudentMessages() {}

    /** The slash command of a line ({@code /check}), or empty for a plain line. */
    public static Optional<String> command(String text) {
        String t = text.strip();
        if (!t.startsWith("/") || t.length() < 2 || !Character.isLetter(t.charAt(1))) {
            return Optional.empty();
        }
        int space = t.indexOf(' ');
        return Optional.of((space < 0 ? t : t.substring(0, space)).toLowerCase(Locale.ROOT));
    }

    /** The argument of a slash command ({@code /step week1/rope} gives {@code week1/rope}). */
    public static Optional<String> commandArgument(String text) {
        String t = text.strip();
        int space = t.indexOf(' ');
        return command(t).isEmpty() || space < 0 ? Optional.empty() : Optional.of(t.substring(space + 1).strip())
                .filter(s -> !s.isEmpty());
    }

    public static boolean isQuestion(String text) {
        if (command(text).isPresent()) {
            return false;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        return t.contains("?") || QUESTION_START.matcher(t).find();
    }

    public static boolean asksForTheAnswer(String text) {
        return command(text).isEmpty() && ANSWER_REQUEST.matcher(text).find();
    }

    /** The form two askings of the same question share: lower case, words only, single spaces. */
    public static String normalize(String text) {
        String t = text.toLowerCase(Locale.ROOT).replace("’", "'");
        StringBuilder out = new StringBuilder();
        boolean space = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '\'' || c == '/' || c == '.') {
                if (space && out.length() > 0) {
                    out.append(' ');
                }
                out.append(c);
                space = false;
            } else {
                space = true;
            }
        }
        // Sentence ends are not part of the question.
        while (out.length() > 0 && (out.charAt(out.length() - 1) == '.' || out.charAt(out.length() - 1) == '\'')) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }
}
