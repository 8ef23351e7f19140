package dev.tinyvllm.tutor.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.leak.ReferenceOverlap;
import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.tutor.Cancellation;
import dev.tinyvllm.tutor.ModelUnavailableException;
import dev.tinyvllm.tutor.TutorModel;
import dev.tinyvllm.tutor.TutorOutput;
import dev.tinyvllm.tutor.Workbench;
import dev.tinyvllm.tutor.guard.Guard;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C closes the model's stream, and the HTTP client reports the closed stream as a failure. That
 * failure must end the turn as stopped: no offline answer in its place, no outage counted.
 */
class LlmTutorCancellationTest {

    @Test
    void aStreamClosedByCtrlCIsAStopNotAnOutage() {
        Cancellation cancel = new Cancellation();
        ChatBackend closedByCtrlC = (request, onText, c) -> {
            onText.test("Let us take this slowly. ");
            c.cancel(); // the student presses Ctrl-C while the answer streams...
            throw new ModelUnavailableException("stream closed", null); // ...and the client sees a broken stream
        };
        LlmTutor tutor = new LlmTutor(closedByCtrlC, "fake", "http://127.0.0.1:1/v1");
        List<TranscriptEvent> logged = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        TutorModel.Turn turn = new TutorModel.Turn("tell me about the mask", "brief", "facts",
                new Guard(ReferenceOverlap.NONE), Set.of(), () -> "OFFLINE FALLBACK: which axis holds the keys?",
                new NoWorkbench(), logged::add);
        assertThrows(InterruptedException.class, () -> tutor.answer(turn, new Collect(shown), cancel));
        assertTrue(!shown.toString().contains("OFFLINE FALLBACK"), "no fallback answer after Ctrl-C: " + shown);
        assertEquals(List.of(), logged.stream().filter(e -> e instanceof TranscriptEvent.Error).toList(),
                "a stop is not an endpoint failure");
    }

    private record Collect(StringBuilder shown) implements TutorOutput {
        public void tutorText(String chunk) {
            shown.append(chunk);
        }

        public void tutorEnd() {}

        public void note(String text) {}
    }

    private static final class NoWorkbench implements Workbench {
        public String runCheck(String stepId) {
            throw new AssertionError("no tool is called here");
        }

        public List<String> listFiles() {
            return List.of();
        }

        public String readFile(String path) {
            return "";
        }

        public String stepGuide() {
            return "";
        }

        public String tagQuestions(String tag) {
            return "";
        }
    }
}
