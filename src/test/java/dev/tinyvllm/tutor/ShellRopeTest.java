package dev.tinyvllm.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.curriculum.StepGuide;
import dev.tinyvllm.leak.CodeDetector;
import dev.tinyvllm.leak.ReferenceOverlap;
import dev.tinyvllm.testing.ShellRun;
import dev.tinyvllm.testing.StepSources;
import dev.tinyvllm.testing.TestWorkspace;
import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.tutor.guard.Guard;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline tutor on week1/rope through the real REPL, input piped in: it reads the student's
 * RoPE with the step's part detector, then follows the grader's diagnosis after a real check.
 */
class ShellRopeTest {

    private static final String STEP = "week1/rope";
    private static final String FILE = "src/main/java/week1/rope/RoPE.java";

    @TempDir
    Path dir;

    @Test
    void theTutorAsksAboutTheMissingPartThenAboutTheCheckersDiagnosis() {
        // The reference with the offset never read: every part but "positions" is there.
        String noOffset = StepSources.referenceWith(STEP, FILE,
                "window(cos, offset, seqLen)", "window(cos, 0, seqLen)",
                "window(sin, offset, seqLen)", "window(sin, 0, seqLen)");
        TestWorkspace ws = TestWorkspace.create(dir.resolve("ws")).write(FILE, noOffset);
        ShellRun.Result r = ShellRun.run(ws.root(), Map.of(), dir.resolve("home"), TutorConfig.Flags.none(),
                "/step " + STEP, "I think every token gets rotated by some angle", "/check", "/quit");

        StepGuide guide = StepGuide.load(StepSources.step(STEP));
        StepGuide.Part positions = guide.part("positions").orElseThrow();
        List<String> offsetQuestions = guide.tagQuestions().get("OFFSET_IGNORED");
        List<TranscriptEvent.TutorMessage> answers = r.tutorMessages();
        // The opening on the first step, the opening of week1/rope, the answer to the message, the answer to /check.
        assertEquals(4, answers.size(), r.output());

        String opening = answers.get(1).text();
        String lead = "In the interleaved case of `RoPE.apply` I do not see the part \"" + positions.title() + "\"";
        assertTrue(opening.contains(lead), opening);
        assertTrue(opening.endsWith(positions.questions().get(0)), opening);

        String reply = answers.get(2).text();
        assertTrue(positions.questions().stream().anyMatch(reply::endsWith), "still about the offset: " + reply);

        List<TranscriptEvent.CheckRun> checks = r.events(TranscriptEvent.CheckRun.class);
        assertEquals(1, checks.size());
        assertEquals("FAIL", checks.get(0).status());
        String afterCheck = answers.get(3).text();
        assertTrue(afterCheck.contains("OFFSET_IGNORED"), afterCheck);
        assertTrue(afterCheck.contains("the interleaved case of `RoPE.apply` fails"), afterCheck);
        assertTrue(afterCheck.endsWith(offsetQuestions.get(0)), afterCheck);
        assertTrue(r.output().contains("tags: OFFSET_IGNORED"), "the report is shown: " + r.output());

        Guard guard = new Guard(ReferenceOverlap.of(List.of(StepSources.reference(STEP, FILE)),
                List.of(StepSources.skeleton(STEP, FILE))));
        for (TranscriptEvent.TutorMessage m : answers.subList(1, answers.size())) {
            assertTrue(m.asksQuestion() && m.text().strip().endsWith("?"), m.text());
            assertFalse(CodeDetector.hasCode(m.text()), "no code: " + CodeDetector.find(m.text()));
            assertEquals(Optional.empty(), guard.check(m.text(), Set.of()), m.text());
        }
        assertTrue(r.events(TranscriptEvent.GuardIntervention.class).isEmpty(),
                "the offline tutor's words pass the guard as they are: " + r.events(TranscriptEvent.GuardIntervention.class));
        assertEquals(0, answers.get(3).hintLevel(), "a new focus starts at the concept rung again");
    }
}
