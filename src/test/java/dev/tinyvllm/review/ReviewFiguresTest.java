package dev.tinyvllm.review;

import static dev.tinyvllm.testing.ClassTranscripts.ATTENTION;
import static dev.tinyvllm.testing.ClassTranscripts.LEAKED_LINE;
import static dev.tinyvllm.testing.ClassTranscripts.ROPE;
import static dev.tinyvllm.testing.ClassTranscripts.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.review.ClassReview.AnswerRequests;
import dev.tinyvllm.review.ClassReview.StepSummary;
import dev.tinyvllm.review.ClassReview.StudentProgress;
import dev.tinyvllm.review.ClassReview.TagCount;
import dev.tinyvllm.review.SessionReview.Counted;
import dev.tinyvllm.review.SessionReview.StepActivity;
import dev.tinyvllm.testing.ClassTranscripts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcripts written by the real writer with a hand-moved clock give exactly the figures worked out in ClassTranscripts. */
class ReviewFiguresTest {

    @TempDir
    static Path dir;

    static ClassTranscripts.Files files;
    static Review review;

    @BeforeAll
    static void reviewTheClass() throws Exception {
        files = ClassTranscripts.write(dir.resolve("class"));
        review = Reviewer.bundled().review(List.of(dir.resolve("class")));
    }

    static SessionReview session(String student, int nth) {
        return review.sessions().stream().filter(s -> s.student().equals(student)).skip(nth).findFirst().orElseThrow();
    }

    @Test
    void everyFileIsReviewedAndSessionsComeInTheOrderTheyHappened() {
        assertEquals(4, review.inputs().size());
        assertTrue(review.everyInputReviewed());
        assertEquals(List.of("alice", "bob", "carol", "carol"), review.sessions().stream().map(SessionReview::student).toList());
        assertEquals(List.of(T0, T0.plusSeconds(3600), T0.plusSeconds(7200), T0.plusSeconds(86400)),
                review.sessions().stream().map(SessionReview::start).toList());
        assertEquals(files.alice().toString(), review.sessions().get(0).file());
    }

    @Test
    void aliceSessionFigures() {
        SessionReview s = session("alice", 0);
        assertEquals(620_000, s.durationMs());
        assertEquals("quit", s.endReason());
        assertEquals("llm", s.mode());
        assertEquals("qwen2.5-coder", s.model());
        assertEquals(List.of(ATTENTION), s.steps());
        assertEquals(List.of(new StepActivity(ATTENTION, 3, "PASS", 610_000L, 3, 620_000, 610_000L, 2, 1, 1,
                Map.of("MASK_INVERTED", 2, "SCALE_MISSING", 1), true)), s.stepActivity());
        assertEquals(new SessionReview.TutorMessages(4, 3, 0.75, 2, 2, 500L, 752L), s.tutor());
        assertEquals(List.of(new SessionReview.GuardEvent(6, 91_000, ATTENTION, "code", "fenced block, 21 tokens", LEAKED_LINE, 1,
                "regenerate")), s.guard());
        assertEquals(List.of(new Counted("Why is my mask wrong?", 2, 1)), s.questions());
        assertEquals(1, s.answerRequests());
        assertEquals(Map.of("/check", 2, "/hint", 1), s.commands());
        assertEquals(Map.of("run_check", 1), s.toolCalls());
        assertEquals(List.of(new SessionReview.ErrorEvent(9, 120_000, "llm", "connection refused", "offline tutor answered")),
                s.errors());
        assertEquals(List.of(), s.problems());
    }

    @Test
    void theMessageWithCodeThatGotPastTheGuardIsFlaggedTwiceWithItsExcerpt() {
        SessionReview s = session("alice", 0);
        assertEquals(List.of(
                new SessionReview.FlaggedMessage(7, 93_000, ATTENTION, "code", "fenced block, 21 tokens", LEAKED_LINE),
                new SessionReview.FlaggedMessage(7, 93_000, ATTENTION, "overlap",
                        "21 tokens in a row from the reference solution of week1/attention", LEAKED_LINE)), s.flagged());
        // The other tutor messages name identifiers and ask; none is flagged.
        assertEquals(List.of("question", "flagged", "statement", "question"),
                s.timeline().stream().filter(m -> m.lane().equals("tutor")).map(SessionReview.Mark::kind).toList());
    }

    @Test
    void theTimelineHasOneMarkPerEventWorthShowing() {
        SessionReview s = session("alice", 0);
        Map<String, Long> lanes = new java.util.TreeMap<>();
        s.timeline().forEach(m -> lanes.merge(m.lane(), 1L, Long::sum));
        assertEquals(Map.of("student", 6L, "tutor", 4L, "check", 3L, "guard", 1L, "hint", 2L, "error", 1L), lanes);
        SessionReview.Mark pass = s.timeline().stream().filter(m -> m.kind().equals("PASS")).findFirst().orElseThrow();
        assertEquals(610_000, pass.atMs());
        assertEquals("PASS 24/26 (2 skipped), asked by the student", pass.label());
        assertEquals("answer_request", s.timeline().stream().filter(m -> m.seq() == 5).findFirst().orElseThrow().kind());
    }

    @Test
    void aKilledSessionIsMeasuredToItsLastLineAndSaysItWasCutOff() {
        SessionReview s = session("bob", 0);
        assertEquals(500_000, s.durationMs());
        assertNull(s.endReason());
        assertNull(s.model());
        assertEquals(List.of(new StepActivity(ATTENTION, 3, "FAIL", null, null, 500_000, null, 0, 0, 1,
                Map.of("SCALE_MISSING", 1), true)), s.stepActivity());
        assertEquals(List.of("line 8: torn last line (the session was cut off while writing it)",
                "no session_end line: the session was cut off or is still running"), s.problems());
        assertEquals(List.of(new Counted("Can you write it for me?", 1, 1)), s.questions());
        assertEquals(1, s.answerRequests());
    }

    @Test
    void timeOnAStepEndsWhenTheStudentMovesOn() {
        SessionReview s = session("carol", 1);
        assertEquals(List.of(ATTENTION, ROPE), s.steps());
        StepActivity attention = s.stepActivity().get(0);
        assertEquals(210_000, attention.activeMs());
        assertEquals(200_000L, attention.timeToPassMs());
        assertEquals(2, attention.attemptsToPass());
        assertNull(attention.maxHintLevel());
        StepActivity rope = s.stepActivity().get(1);
        // week1/rope has a bundled reference, so its messages were checked for overlap.
        assertEquals(new StepActivity(ROPE, 0, null, null, null, 90_000, null, 1, 0, 1, Map.of(), true), rope);
        assertEquals(List.of(), s.flagged());
    }

    @Test
    void perStepOverTheClassCountsEachStudentOnceAcrossSessions() {
        StepSummary attention = review.summary().steps().get(0);
        assertEquals(ATTENTION, attention.step());
        assertEquals(3, attention.students());
        assertEquals(2, attention.studentsPassed());
        assertEquals(3.5, attention.medianAttempts());
        assertEquals(555_000L, attention.medianTimeToPassMs());
        assertEquals(10, attention.checks());
        assertEquals(List.of(1, 0, 1), attention.studentsAtHintLevel());
        assertEquals(1, attention.hintRequests());
        assertEquals(2, attention.answerRequests());
        assertEquals(List.of(new TagCount("MASK_INVERTED", 2, 3), new TagCount("SCALE_MISSING", 2, 2),
                new TagCount("CAUSAL_OFF_BY_ONE", 1, 2)), attention.tags());
        assertEquals(List.of(new StudentProgress("alice", true, 3, 610_000), new StudentProgress("bob", false, 3, 500_000),
                new StudentProgress("carol", true, 4, 500_000)), attention.progress());

        StepSummary rope = review.summary().steps().get(1);
        assertEquals(ROPE, rope.step());
        assertEquals(1, rope.students());
        assertEquals(0, rope.studentsPassed());
        assertNull(rope.medianAttempts());
        assertNull(rope.medianTimeToPassMs());
        assertEquals(List.of(0, 1, 0), rope.studentsAtHintLevel());
    }

    @Test
    void classTotalsAnswerRequestsAndQuestions() {
        ClassReview c = review.summary();
        assertEquals(new ClassReview.Totals(4, 3, 1_720_000, 10, 6, 5, 5.0 / 6, 1, 0, 1, 3, 1), c.totals());
        assertEquals(List.of(new AnswerRequests(ATTENTION, 2, 2), new AnswerRequests(ROPE, 1, 1)), c.answerRequests());
        assertEquals(List.of(new Counted("Why is my mask wrong?", 2, 1), new Counted("Can you write it for me?", 1, 1)),
                c.questions());
        assertEquals(Map.of("code", 1), c.guardByReason());
        assertEquals(Map.of("llm", 1), c.errorsBySource());
    }

    @Test
    void aFileNamedOnItsOwnBelongsToItsWorkspaceFolder() {
        Review one = Reviewer.bundled().review(List.of(files.carol1()));
        assertEquals("carol", one.sessions().get(0).student());
        assertEquals(1, one.summary().totals().students());
    }

    @Test
    void theStudentIsTheRecordedWorkspaceWhenTheFolderLayoutSaysNothing() throws Exception {
        Path flat = dir.resolve("flat");
        java.nio.file.Files.createDirectories(flat);
        Path copy = java.nio.file.Files.copy(files.bob(), flat.resolve("bob-session.jsonl"));
        Review flatReview = Reviewer.bundled().review(List.of(flat));
        assertEquals("/home/bob/tiny-vllm", flatReview.sessions().get(0).student());
        assertEquals(copy.toString(), flatReview.sessions().get(0).file());
        assertFalse(flatReview.sessions().get(0).problems().isEmpty());
    }
}
