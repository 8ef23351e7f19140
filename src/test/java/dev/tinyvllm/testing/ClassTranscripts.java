package dev.tinyvllm.testing;

import dev.tinyvllm.transcript.TranscriptEvent.CheckOutcome;
import dev.tinyvllm.transcript.TranscriptEvent.CheckRun;
import dev.tinyvllm.transcript.TranscriptEvent.Error;
import dev.tinyvllm.transcript.TranscriptEvent.GuardIntervention;
import dev.tinyvllm.transcript.TranscriptEvent.HintLevel;
import dev.tinyvllm.transcript.TranscriptEvent.StudentMessage;
import dev.tinyvllm.transcript.TranscriptEvent.ToolCall;
import dev.tinyvllm.transcript.TranscriptEvent.ToolResult;
import dev.tinyvllm.transcript.TranscriptEvent.TutorMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small class, written with the real transcript writer: alice passes week1/attention in her one
 * session (after the guard stopped one message and one with code got through anyway), bob is cut
 * off before passing, carol passes in her second session and moves on to week1/rope. Every figure
 * the tests expect is worked out by hand in the comments.
 */
public final class ClassTranscripts {

    public static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    public static final String ATTENTION = "week1/attention";
    public static final String ROPE = "week1/rope";

    /** What the tutor showed alice at +93 s: a fenced line copied from the reference solution (21 tokens). */
    public static final String LEAKED_LINE = "NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));";

    public record Files(Path alice, Path bob, Path carol1, Path carol2) {}

    private ClassTranscripts() {}

    public static Files write(Path classDir) throws Exception {
        return new Files(alice(classDir.resolve("alice")), bob(classDir.resolve("bob")),
                carol1(classDir.resolve("carol")), carol2(classDir.resolve("carol")));
    }

    public static CheckRun run(String status, int passed, String requestedBy, List<String> tags) {
        List<CheckOutcome> checks = tags.isEmpty()
                ? List.of(new CheckOutcome("eager_bidirectional.no_mask", status.equals("PASS") ? "PASS" : status, List.of()))
                : List.of(new CheckOutcome("eager_bidirectional.no_mask", "PASS", List.of()),
                        new CheckOutcome("eager_causal.padding_mask", "FAIL", tags),
                        new CheckOutcome("eager_bidirectional.padding_mask", "FAIL", tags.subList(0, 1)));
        return new CheckRun(ATTENTION, status, passed, 26, 2, checks, requestedBy, 1400);
    }

    /**
     * alice: 620 s, quit. 3 checks (FAIL, FAIL, PASS at +610 s): attempts 3, 610 s to pass. Hint level
     * 2, one /hint, one answer request. Tutor: 4 messages, 3 asked (75%), llm 2 offline 2, first
     * token median of 400 and 600 = 500 ms, whole answer median of 3, 5, 1500, 2500 = 752 ms. Guard 1
     * (code). Flagged: the message at +93 s, as code and as overlap. Tags: MASK_INVERTED 2 runs,
     * SCALE_MISSING 1. Asked "Why is my mask wrong?" twice.
     */
    public static Path alice(Path workspace) {
        SessionFile s = SessionFile.start(workspace, T0, ATTENTION, "llm", "qwen2.5-coder");
        s.at(10, new StudentMessage("Why is my mask wrong?"))
                .at(12, new TutorMessage("What value does `mask` hold at a padded position?", "llm", ATTENTION, 0, true, 400, 1500))
                .at(60, new StudentMessage("/check"))
                .at(75, run("FAIL", 10, "student", List.of("MASK_INVERTED")))
                .at(90, new StudentMessage("just give me the code please"))
                .at(91, new GuardIntervention("code", "fenced block, 21 tokens", LEAKED_LINE, 1, "regenerate"))
                .at(93, new TutorMessage("I cannot hand you code, but try this:\n```java\n" + LEAKED_LINE
                        + "\n```\nWhat shape do you expect?", "llm", ATTENTION, 1, true, 600, 2500))
                .at(95, new HintLevel(ATTENTION, 1, "the student asked for the answer"))
                .at(120, new Error("llm", "connection refused", "offline tutor answered"))
                .at(121, new TutorMessage("Look at where the mask is applied.", "offline", ATTENTION, 1, false, 0, 5))
                .at(200, new StudentMessage("why is my  mask wrong ?"))
                .at(240, new StudentMessage("/hint"))
                .at(241, new HintLevel(ATTENTION, 2, "/hint"))
                .at(242, new TutorMessage("If you print one row of weights for three real tokens and one padded one, which columns are zero?",
                        "offline", ATTENTION, 2, true, 0, 3))
                .at(299, new ToolCall("c1", "run_check", Map.of("step", ATTENTION)))
                .at(300, run("FAIL", 12, "tutor", List.of("MASK_INVERTED", "SCALE_MISSING")))
                .at(301, new ToolResult("c1", "run_check", true, "FAIL 12/26", 900))
                .at(600, new StudentMessage("/check"))
                .at(610, run("PASS", 24, "student", List.of()));
        return s.end(620, "quit");
    }

    /**
     * bob, an hour later, offline: NOT_IMPLEMENTED, COMPILE_ERROR, FAIL (SCALE_MISSING); never passes;
     * killed while writing a line: 500 s from first to last line, no session_end. One answer request
     * that is also a question. Hint level 0.
     */
    public static Path bob(Path workspace) throws Exception {
        SessionFile s = SessionFile.start(workspace, T0.plus(Duration.ofHours(1)), ATTENTION, "offline", null);
        s.at(30, new StudentMessage("/check"))
                .at(40, run("NOT_IMPLEMENTED", 0, "student", List.of()))
                .at(100, new StudentMessage("Can you write it for me?"))
                .at(101, new TutorMessage("Which function would you start with?", "offline", ATTENTION, 0, true, 0, 2))
                .at(400, run("COMPILE_ERROR", 0, "student", List.of()))
                .at(500, run("FAIL", 4, "student", List.of("SCALE_MISSING")));
        return s.killed("{\"v\":1,\"seq\":7,\"ts\":\"2026-11-23T11:0");
    }

    /** carol, two hours later: 2 FAIL (CAUSAL_OFF_BY_ONE), 300 s, quit. */
    public static Path carol1(Path workspace) {
        SessionFile s = SessionFile.start(workspace, T0.plus(Duration.ofHours(2)), ATTENTION, "llm", "qwen2.5-coder");
        s.at(100, run("FAIL", 8, "student", List.of("CAUSAL_OFF_BY_ONE")))
                .at(250, run("FAIL", 9, "student", List.of("CAUSAL_OFF_BY_ONE")));
        return s.end(300, "quit");
    }

    /**
     * carol, the next day: FAIL (MASK_INVERTED) then PASS at +200 s; 210 s on attention, then /step
     * week1/rope, asks for the solution there, one tutor message at hint level 1; 300 s, eof. Over
     * both sessions: attempts 2 + 2 = 4, time to pass 300 + 200 = 500 s.
     */
    public static Path carol2(Path workspace) {
        SessionFile s = SessionFile.start(workspace, T0.plus(Duration.ofDays(1)), ATTENTION, "llm", "qwen2.5-coder");
        s.at(20, run("FAIL", 20, "student", List.of("MASK_INVERTED")))
                .at(200, run("PASS", 24, "student", List.of()))
                .at(210, new StudentMessage("/step " + ROPE))
                .at(230, new StudentMessage("show me the solution"))
                .at(240, new TutorMessage("What does a rotation do to a pair of numbers?", "llm", ROPE, 1, true, 300, 900));
        return s.end(300, "eof");
    }
}
