package dev.tinyvllm.leak;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a student may not be shown in a tutor message: code beyond a few tokens ({@link CodeDetector})
 * or a run of the step's reference solution that does something ({@link ReferenceOverlap}). The
 * tutor's guard stops a message when {@link Findings#any()}; the review flags a shown message by the
 * same call, so that what it flags is exactly what the guard should have stopped.
 */
public final class LeakRule {

    /**
     * @param code every piece of code, in the order written
     * @param overlap the longest run of the reference solution, if any
     */
    public record Findings(List<CodeDetector.Finding> code, Optional<ReferenceOverlap.Match> overlap) {

        public boolean any() {
            return !code.isEmpty() || overlap.isPresent();
        }
    }

    private final ReferenceOverlap reference;

    /** @param reference the step's reference solution, {@link ReferenceOverlap#NONE} where there is none */
    public LeakRule(ReferenceOverlap reference) {
        this.reference = reference;
    }

    /**
     * @param studentOwn n-grams of the student's own files ({@link ReferenceOverlap#ngrams}): quoting
     *     what the student wrote is no leak
     */
    public Findings check(String message, Set<String> studentOwn) {
        return new Findings(CodeDetector.find(message), reference.longestMatch(message, studentOwn));
    }
}
