package dev.tinyvllm.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tinyvllm.text.Clean;
import java.util.List;
import java.util.Map;

/**
 * How one check went. Part of the versioned JSON report (see docs/check-report.md).
 *
 * @param maxAbsError the largest |actual - expected|, null when no values were compared or some
 *     were not finite
 * @param where the position of the largest error, by axis name (batch, sequence, token, head)
 * @param tags diagnoses, each a misconception the step's guide turns into a question
 * @param question the guide's question for the first tag, or for where the function starts
 * @param output what the student's code printed during the check, cut to a few thousand characters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(
        String id,
        String function,
        String description,
        Outcome status,
        String message,
        List<String> tags,
        String question,
        Double maxAbsError,
        Double maxRelError,
        Map<String, Long> where,
        List<Long> expectedShape,
        List<Long> actualShape,
        String output,
        long durationMs) {

    /** The longest message or output a report keeps. */
    static final int TEXT_LIMIT = 8000;

    public CheckResult {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static CheckResult of(CheckSpec spec, Outcome status, String message) {
        return new CheckResult(spec.id(), spec.function(), spec.description(), status, message, List.of(), null,
                null, null, null, null, null, null, 0);
    }

    public CheckResult withQuestion(String q) {
        return new CheckResult(id, function, description, status, message, tags, q, maxAbsError, maxRelError,
                where, expectedShape, actualShape, output, durationMs);
    }

    public CheckResult withOutput(String captured, long millis) {
        return new CheckResult(id, function, description, status, message, tags, question, maxAbsError,
                maxRelError, where, expectedShape, actualShape, captured, millis);
    }

    /**
     * The same result with every text that may come from student code (the message, what it printed)
     * made safe for a terminal and for XML, and cut to a length.
     */
    public CheckResult cleaned() {
        return new CheckResult(id, function, description, status, Clean.text(message, TEXT_LIMIT), tags, question,
                maxAbsError, maxRelError, where, expectedShape, actualShape, Clean.text(output, TEXT_LIMIT), durationMs);
    }

    public CheckResult withTags(List<String> newTags, String newMessage) {
        return new CheckResult(id, function, description, status, newMessage, newTags, question, maxAbsError,
                maxRelError, where, expectedShape, actualShape, output, durationMs);
    }
}
