package dev.tinyvllm.tutor.guard;

import dev.tinyvllm.leak.CodeDetector;
import dev.tinyvllm.leak.JavaTokens;
import dev.tinyvllm.leak.LeakRule;
import dev.tinyvllm.leak.ReferenceOverlap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stops tutor messages that carry code, repeat the step's reference solution (both judged by
 * {@link LeakRule}, which the review applies to transcripts too), or ask no question.
 * Used on every message in both modes; the session decides what to do about a violation
 * (regenerate with the reason, then fall back to the offline tutor) and logs it.
 */
public final class Guard {

    /** Why a message was stopped. */
    public enum Reason {
        CODE("code"), OVERLAP("overlap"), NO_QUESTION("no_question");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        /** The name in transcripts. */
        public String wire() {
            return wire;
        }
    }

    /**
     * @param detail for people: what was found
     * @param excerpt safe to store in the student's workspace: the first few tokens of code only,
     *     so the transcript does not become the leak
     * @param instruction what the model is told when it must write the message again
     */
    public record Violation(Reason reason, String detail, String excerpt, String instruction) {}

    private static final int EXCERPT_TOKENS = 3;

    private final LeakRule rule;

    /** @param reference the step's reference solution, {@link ReferenceOverlap#NONE} where there is none */
    public Guard(ReferenceOverlap reference) {
        this.rule = new LeakRule(reference);
    }

    /** Checks for code and overlap only: for text that is still being written. */
    public Optional<Violation> checkContent(String message, Set<String> studentOwn) {
        LeakRule.Findings found = rule.check(message, studentOwn);
        if (!found.code().isEmpty()) {
            CodeDetector.Finding f = found.code().get(0);
            return Optional.of(new Violation(Reason.CODE, f.detail(), redact(f.excerpt(), f.tokens()),
                    "it contained code (" + f.kind() + "). Do not write code, not even a line or an expression; "
                            + "describe ideas in words and name at most a single method or variable."));
        }
        if (found.overlap().isPresent()) {
            ReferenceOverlap.Match m = found.overlap().get();
            return Optional.of(new Violation(Reason.OVERLAP, m.detail(), redact(m.excerpt(), m.tokens()),
                    "it repeated part of the solution the student has to write. Do not give the solution in any "
                            + "form; ask about what the student's own code does."));
        }
        return Optional.empty();
    }

    /** Checks a finished message. */
    public Optional<Violation> check(String message, Set<String> studentOwn) {
        Optional<Violation> content = checkContent(message, studentOwn);
        if (content.isPresent()) {
            return content;
        }
        if (!Questions.asksQuestion(message)) {
            String text = message.strip();
            String tail = text.length() > 80 ? "…" + text.substring(text.length() - 80) : text;
            return Optional.of(new Violation(Reason.NO_QUESTION, "the message does not end with a question", tail,
                    "it did not end with a question for the student."));
        }
        return Optional.empty();
    }

    /**
     * The first tokens of a piece of code, then an ellipsis: enough to recognise, too little to use.
     *
     * @param size the tokens the finding counted (its excerpt may be cut short)
     */
    static String redact(String excerpt, int size) {
        List<String> tokens = JavaTokens.texts(excerpt);
        if (tokens.size() <= EXCERPT_TOKENS) {
            return String.join(" ", tokens);
        }
        return String.join(" ", tokens.subList(0, EXCERPT_TOKENS)) + " … (" + Math.max(size, tokens.size())
                + " tokens withheld)";
    }
}
