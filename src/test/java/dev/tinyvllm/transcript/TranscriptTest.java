package dev.tinyvllm.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.transcript.TranscriptEvent.CheckOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every event type survives a round trip; bad files are reported line by line and never throw. */
class TranscriptTest {

    @TempDir
    Path dir;

    static final List<TranscriptEvent> ONE_OF_EACH = List.of(
            new TranscriptEvent.SessionStart("abcd1234", "week1/attention", "llm", "qwen2", "http://127.0.0.1:8080/v1",
                    "0.1.0", "17", "/w"),
            new TranscriptEvent.StudentMessage("why is my mask wrong?"),
            new TranscriptEvent.TutorMessage("What does true mean in your mask?", "llm", "week1/attention", 1, true, 42, 900),
            new TranscriptEvent.ToolCall("call_1", "run_check", Map.of("step", "week1/attention")),
            new TranscriptEvent.ToolResult("call_1", "run_check", true, "FAIL: 3 of 24", 1500),
            new TranscriptEvent.CheckRun("week1/attention", "FAIL", 3, 26, 2,
                    List.of(new CheckOutcome("eager_causal.padding_mask", "FAIL", List.of("MASK_INVERTED"))), "student", 1400),
            new TranscriptEvent.GuardIntervention("code", "7 code tokens", "scores.div(", 1, "regenerate"),
            new TranscriptEvent.HintLevel("week1/attention", 2, "3 failing checks in a row"),
            new TranscriptEvent.Error("llm", "connection refused", "offline tutor answered"),
            new TranscriptEvent.SessionEnd("quit", 60_000));

    @Test
    void everyEventTypeIsWrittenAndReadBack() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
        Path file;
        try (TranscriptWriter writer = TranscriptWriter.create(dir, clock)) {
            ONE_OF_EACH.forEach(writer::write);
            file = writer.file();
        }
        assertTrue(file.getFileName().toString().matches("20261123-100000-[0-9a-f]{8}\\.jsonl"), file.toString());
        assertEquals(ONE_OF_EACH.size(), Files.readAllLines(file).size());
        Transcripts.Transcript t = Transcripts.read(file);
        assertEquals(List.of(), t.problems());
        assertEquals(ONE_OF_EACH, t.lines().stream().map(TranscriptLine::event).toList());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), t.lines().stream().map(TranscriptLine::seq).toList());
        String first = Files.readAllLines(file).get(1);
        assertTrue(first.startsWith("{\"v\":1,\"seq\":1,\"ts\":\"2026-11-23T10:00:00Z\",\"type\":\"student_message\""), first);
    }

    @Test
    void eachEventIsOnDiskAsSoonAsItIsWritten() throws Exception {
        try (TranscriptWriter writer = TranscriptWriter.create(dir, Clock.systemUTC())) {
            writer.write(ONE_OF_EACH.get(0));
            writer.write(ONE_OF_EACH.get(1));
            // Not closed: what a killed process leaves.
            Transcripts.Transcript t = Transcripts.read(writer.file());
            assertEquals(2, t.lines().size());
        }
    }

    @Test
    void aTornLastLineIsReportedAndTheRestIsKept() throws Exception {
        Path file = write("ok.jsonl", line(0, "student_message", "\"text\":\"hi\"") + "\n"
                + line(1, "student_message", "\"text\":\"again\"") + "\n" + "{\"v\":1,\"seq\":2,\"ts\":\"2026-");
        Transcripts.Transcript t = Transcripts.read(file);
        assertEquals(2, t.lines().size());
        assertEquals(List.of("line 3: torn last line (the session was cut off while writing it)"), t.problems());
    }

    @Test
    void unknownTypesAndNewerVersionsAreKeptAndNoted() throws Exception {
        Path file = write("new.jsonl", line(0, "student_message", "\"text\":\"hi\"") + "\n"
                + "{\"v\":2,\"seq\":1,\"ts\":\"2026-11-23T10:00:01Z\",\"type\":\"voice_note\",\"seconds\":3}\n"
                + "{\"v\":2,\"seq\":2,\"ts\":\"2026-11-23T10:00:02Z\",\"type\":\"student_message\",\"text\":\"x\",\"mood\":\"ok\"}\n");
        Transcripts.Transcript t = Transcripts.read(file);
        assertEquals(3, t.lines().size());
        assertInstanceOf(TranscriptEvent.Unknown.class, t.lines().get(1).event());
        assertEquals(3, ((TranscriptEvent.Unknown) t.lines().get(1).event()).fields().get("seconds"));
        assertEquals(new TranscriptEvent.StudentMessage("x"), t.lines().get(2).event());
        assertTrue(t.problems().get(0).contains("schema version 2 is newer"), t.problems().toString());
        assertTrue(t.problems().get(1).contains("unknown event type voice_note"), t.problems().toString());
    }

    @Test
    void emptyFilesAndFilesThatAreNotTranscriptsAreSaidToBeSo() throws Exception {
        Transcripts.Transcript empty = Transcripts.read(write("empty.jsonl", "\n\n"));
        assertFalse(empty.readable());
        assertEquals(List.of("empty file"), empty.problems());
        Transcripts.Transcript notes = Transcripts.read(write("notes.jsonl", "shopping list\nmilk\n"));
        assertFalse(notes.readable());
        assertTrue(notes.problems().get(0).startsWith("not a transcript"), notes.problems().toString());
        Transcripts.Transcript json = Transcripts.read(write("other.jsonl", "{\"name\":\"x\"}\n"));
        assertTrue(json.problems().get(0).contains("no type or v"), json.problems().toString());
        Transcripts.Transcript missing = Transcripts.read(dir.resolve("nope.jsonl"));
        assertTrue(missing.problems().get(0).startsWith("cannot read"));
    }

    @Test
    void aBadLineInTheMiddleIsSkippedWithItsNumber() throws Exception {
        Path file = write("mid.jsonl", line(0, "student_message", "\"text\":\"a\"") + "\n" + "garbage\n"
                + line(2, "session_end", "\"reason\":\"quit\",\"durationMs\":5"));
        Transcripts.Transcript t = Transcripts.read(file);
        assertEquals(2, t.lines().size());
        assertTrue(t.problems().get(0).startsWith("line 2: "), t.problems().toString());
    }

    private static String line(int seq, String type, String body) {
        return "{\"v\":1,\"seq\":" + seq + ",\"ts\":\"2026-11-23T10:00:0" + seq + "Z\",\"type\":\"" + type + "\"," + body + "}";
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    }
}
