package dev.tinyvllm.review;

import dev.tinyvllm.review.SessionReview.Counted;
import java.util.List;
import java.util.Map;

/**
 * Figures over every session reviewed together (a class's folder). A student is counted once per
 * step however many sessions they spent on it.
 *
 * @param answerRequests the steps where students asked for the answer, most asked first
 * @param questions what students asked, grouped by wording, most asked first
 */
public record ClassReview(
        Totals totals,
        List<StepSummary> steps,
        List<AnswerRequests> answerRequests,
        List<Counted> questions,
        Map<String, Integer> guardByReason,
        Map<String, Integer> errorsBySource) {

    /**
     * @param questionShare tutor messages that asked a question / all tutor messages, null without any
     * @param fallbacks guard interventions that gave up on the LLM and let the offline tutor answer
     * @param flaggedMessages tutor messages as shown in which the review found code or reference overlap
     */
    public record Totals(
            int sessions,
            int students,
            long durationMs,
            int checks,
            int tutorMessages,
            int askedQuestion,
            Double questionShare,
            int guardInterventions,
            int fallbacks,
            int flaggedMessages,
            int answerRequests,
            int errors) {}

    /**
     * One step over the class.
     *
     * @param students students who touched the step
     * @param studentsPassed students with a PASS of the step in any session
     * @param medianAttempts over the students who passed: check runs up to their first PASS, all
     *     their sessions counted in order
     * @param medianTimeToPassMs over the students who passed: time the step was current, in all their
     *     sessions, up to the first PASS (time between sessions does not count)
     * @param studentsAtHintLevel students whose highest hint level on the step was 0, 1, 2
     * @param tags diagnosis tags of failing checks, most students first
     * @param progress each student's attempts and time, to the pass or so far
     */
    public record StepSummary(
            String step,
            int students,
            int studentsPassed,
            Double medianAttempts,
            Long medianTimeToPassMs,
            int checks,
            List<Integer> studentsAtHintLevel,
            int hintRequests,
            int answerRequests,
            List<TagCount> tags,
            List<StudentProgress> progress) {}

    /** @param runs check runs in which a failing check carried the tag */
    public record TagCount(String tag, int students, int runs) {}

    /** @param timeMs time on the step up to the first PASS, or so far when not passed */
    public record StudentProgress(String student, boolean passed, int attempts, long timeMs) {}

    public record AnswerRequests(String step, int requests, int students) {}
}
