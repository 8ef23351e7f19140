package dev.tinyvllm.review;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one session's transcript says, in figures. Times called {@code atMs} are milliseconds from the
 * session's first line; a null figure means "did not happen" (no pass, no tutor message, no timing).
 *
 * @param student who the session belongs to: the workspace folder the transcript sits in, else the
 *     workspace recorded at the session's start (the schema names no student)
 * @param durationMs the session's own figure from {@code session_end}, else first to last line
 * @param endReason {@code quit}, {@code eof} or {@code interrupted}; null when the session has no
 *     {@code session_end} (killed, or still running)
 * @param steps the steps touched, in the order first touched
 * @param questions what the student asked, grouped by wording, most asked first
 * @param answerRequests lines where the student asked for the answer or the code
 * @param commands slash commands typed, by command
 * @param toolCalls tools the LLM called, by tool
 * @param problems what could not be read or was missing in the file, by line
 */
public record SessionReview(
        String file,
        String session,
        String student,
        Instant start,
        long durationMs,
        String endReason,
        String mode,
        String model,
        String tutorVersion,
        List<String> steps,
        List<StepActivity> stepActivity,
        TutorMessages tutor,
        List<GuardEvent> guard,
        List<FlaggedMessage> flagged,
        List<Counted> questions,
        int answerRequests,
        Map<String, Integer> commands,
        Map<String, Integer> toolCalls,
        List<ErrorEvent> errors,
        List<String> problems,
        List<Mark> timeline) {

    /**
     * One step within the session.
     *
     * @param checks check runs of the step, whoever asked
     * @param lastStatus the status of the last check run, null without one
     * @param firstPassAtMs when the first PASS came, null without one
     * @param attemptsToPass check runs up to and including the first PASS
     * @param activeMs time the step was the current one: from each line to the next, the step named
     *     last (by the session start, {@code /step}, a tutor message, a hint change or a check run)
     * @param timeToPassMs the part of {@code activeMs} before the first PASS
     * @param maxHintLevel the highest hint level of the step (0 concept, 1 targeted question, 2 experiment)
     * @param hintRequests {@code /hint} typed on the step
     * @param answerRequests lines asking for the answer on the step
     * @param tags diagnosis tags of failing checks, by the number of check runs that showed them
     * @param overlapChecked whether the step's reference solution was at hand to measure overlap
     */
    public record StepActivity(
            String step,
            int checks,
            String lastStatus,
            Long firstPassAtMs,
            Integer attemptsToPass,
            long activeMs,
            Long timeToPassMs,
            Integer maxHintLevel,
            int hintRequests,
            int answerRequests,
            Map<String, Integer> tags,
            boolean overlapChecked) {}

    /**
     * @param askedQuestion messages recorded as asking the student something
     * @param questionShare askedQuestion / messages, null without messages
     */
    public record TutorMessages(
            int messages,
            int askedQuestion,
            Double questionShare,
            int fromLlm,
            int fromOffline,
            Long medianFirstTokenMs,
            Long medianTotalMs) {}

    /** A message the guard stopped before it was shown, and what it did. */
    public record GuardEvent(
            long seq, long atMs, String step, String reason, String detail, String excerpt, int attempt, String action) {}

    /**
     * A tutor message as shown that the review finds code in ({@code code}) or that repeats the step's
     * reference solution ({@code overlap}): what got past the guard.
     */
    public record FlaggedMessage(long seq, long atMs, String step, String kind, String detail, String excerpt) {}

    /** A wording and how often it came; {@code students} is 1 within a session. */
    public record Counted(String text, int count, int students) {}

    public record ErrorEvent(long seq, long atMs, String source, String message, String recovery) {}

    /**
     * One point of the timeline.
     *
     * @param lane {@code student}, {@code tutor}, {@code check}, {@code guard}, {@code hint} or {@code error}
     * @param kind what it was within the lane: for a check its status; for the tutor {@code question},
     *     {@code statement} or {@code flagged}; for the student {@code question}, {@code answer_request},
     *     {@code command} or {@code message}; for the guard its reason; for an error its source
     * @param step the current step at that moment
     * @param label a short text for people
     */
    public record Mark(long seq, long atMs, String lane, String kind, String step, String label) {}
}
