package dev.tinyvllm.cli;

import static dev.tinyvllm.testing.InProcessTutor.tutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.testing.ClassTranscripts;
import dev.tinyvllm.testing.InProcessTutor.Run;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tutor review} as a user types it: formats, --out, exit codes, the workspace default. */
class ReviewCommandTest {

    @TempDir
    static Path dir;

    static Path classDir;

    @BeforeAll
    static void writeAClass() throws Exception {
        classDir = dir.resolve("class");
        ClassTranscripts.write(classDir);
    }

    @Test
    void textByDefault() {
        Run run = tutor("review", classDir.toString());
        assertEquals(ExitCodes.OK, run.code(), run.err());
        assertTrue(run.out().startsWith("Review of 4 sessions by 3 students (4 files: 4 reviewed)"), run.out());
        assertTrue(run.out().contains("  week1/attention                 3       2       3.5         9m 15s      10        1/0/1      1        2"),
                run.out());
        assertTrue(run.out().contains("      tags: MASK_INVERTED (2 students, 3 runs), SCALE_MISSING (2 students, 2 runs), "
                + "CAUSAL_OFF_BY_ONE (1 student, 2 runs)"), run.out());
        assertTrue(run.out().contains("    +01:33 overlap: 21 tokens in a row from the reference solution of week1/attention\n"
                + "        | " + ClassTranscripts.LEAKED_LINE), run.out());
        assertEquals("", run.err());
    }

    @Test
    void jsonHoldsTheSameFigures() throws Exception {
        Run run = tutor("review", classDir.toString(), "--format", "json");
        assertEquals(ExitCodes.OK, run.code(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(1, json.get("schemaVersion").asInt());
        JsonNode attention = json.at("/summary/steps/0");
        assertEquals("week1/attention", attention.get("step").asText());
        assertEquals(3.5, attention.get("medianAttempts").asDouble());
        assertEquals(555_000, attention.get("medianTimeToPassMs").asLong());
        assertEquals("2026-11-23T10:00:00Z", json.at("/sessions/0/start").asText());
        assertEquals(3, json.at("/sessions/0/stepActivity/0/attemptsToPass").asInt());
        assertTrue(json.at("/sessions/1/endReason").isMissingNode(), "null figures are left out");
        assertEquals("overlap", json.at("/sessions/0/flagged/1/kind").asText());
    }

    @Test
    void htmlGoesToTheFileAskedFor() throws Exception {
        Path report = dir.resolve("reports/week1/class.html");
        Run run = tutor("review", classDir.toString(), "--format", "html", "--out", report.toString());
        assertEquals(ExitCodes.OK, run.code(), run.err());
        assertEquals("reviewed 4 session(s) of 3 student(s) into " + report + "\n", run.out());
        assertTrue(Files.readString(report).startsWith("<!DOCTYPE html>"));
        // The one killed session is a note, said once on stderr, not an error.
        assertEquals("tutor review: 1 reviewed file(s) have notes (torn last line, no session_end, unknown events...), "
                + "listed in the report\n", run.err());
    }

    @Test
    void aFileThatIsNoTranscriptIsReportedAndTheRestReviewed() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.jsonl"), "remember the milk\n");
        Run run = tutor("review", classDir.toString(), notes.toString(), "--format", "json");
        assertEquals(ReviewCommand.SOME_INPUT_UNREADABLE, run.code());
        assertEquals(4, new ObjectMapper().readTree(run.out()).get("sessions").size());
        assertTrue(run.err().startsWith("tutor review: " + notes + " (unreadable): not a transcript"), run.err());
    }

    @Test
    void aHugeFileBesideTheClassIsListedNotFatal() throws Exception {
        Path huge = dir.resolve("huge.jsonl");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB that take no disk
        }
        Run run = tutor("review", classDir.toString(), huge.toString());
        assertEquals(ReviewCommand.SOME_INPUT_UNREADABLE, run.code(), run.err());
        assertTrue(run.out().startsWith("Review of 4 sessions by 3 students (5 files: 4 reviewed, 1 unreadable)"), run.out());
        assertTrue(run.out().contains(huge + " (unreadable)\n    too large to review: 3 GiB, over the 32 MiB limit of a transcript"),
                run.out());
        assertEquals("", run.err());
    }

    @Test
    void problemsOnStderrCarryNoEscapeSequences() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad\u001b[31m.jsonl"), "garbage\u001b]0;title\u0007\u202E\n");
        Run run = tutor("review", classDir.toString(), bad.toString(), "--format", "json");
        assertEquals(ReviewCommand.SOME_INPUT_UNREADABLE, run.code());
        assertTrue(run.err().startsWith("tutor review: " + dir.resolve("bad.jsonl") + " (unreadable): not a transcript"), run.err());
        assertTrue(run.err().chars().noneMatch(c -> c == 0x1b || c == 0x07 || c == 0x202E), run.err());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Run format = tutor("review", classDir.toString(), "--format", "pdf");
        assertEquals(ExitCodes.USAGE, format.code());
        assertTrue(format.err().startsWith("Invalid value for option '--format': expected one of [TEXT, JSON, HTML] "
                + "(case-insensitive) but was 'pdf'\n"), format.err());
        assertEquals(ExitCodes.OK, tutor("review", classDir.toString(), "--format", "JSON").code(), "any case will do");
        Run missing = tutor("review", dir.resolve("typo").toString());
        assertEquals(ExitCodes.USAGE, missing.code());
        assertEquals("tutor: nothing to review: " + dir.resolve("typo") + ": no such file or folder\n", missing.err());
    }

    @Test
    void withoutPathsTheWorkspacesOwnSessionsAreReviewed() throws Exception {
        Path ws = dir.resolve("ws");
        assertEquals(ExitCodes.OK, tutor("init", ws.toString()).code());
        Run none = tutor("review", "-w", ws.toString());
        assertEquals(ExitCodes.USAGE, none.code());
        assertTrue(none.err().startsWith("tutor: no sessions yet in "), none.err());
        ClassTranscripts.carol1(ws);
        Run run = tutor("review", "-w", ws.toString());
        assertEquals(ExitCodes.OK, run.code(), run.err());
        assertTrue(run.out().startsWith("Review of 1 session by 1 student (1 file: 1 reviewed)"), run.out());
        assertTrue(run.out().contains("Session ") && run.out().contains(" · ws · "), run.out());
    }
}
