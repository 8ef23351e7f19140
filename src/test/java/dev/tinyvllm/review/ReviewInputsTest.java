package dev.tinyvllm.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.testing.ClassTranscripts;
import dev.tinyvllm.transcript.Transcripts;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder with every kind of bad file: each is reported with its reason, and the rest is reviewed. */
class ReviewInputsTest {

    @TempDir
    static Path dir;

    static Path mixed;
    static Review review;
    static Map<String, Review.InputFile> byName;

    static String line(int seq, String type, String body) {
        return "{\"v\":1,\"seq\":" + seq + ",\"ts\":\"2026-11-24T09:00:" + String.format("%02d", seq) + "Z\",\"type\":\"" + type + "\""
                + (body.isEmpty() ? "" : "," + body) + "}\n";
    }

    @BeforeAll
    static void reviewAMessyFolder() throws Exception {
        mixed = dir.resolve("mixed");
        Path alice = ClassTranscripts.alice(mixed.resolve("alice"));
        ClassTranscripts.bob(mixed.resolve("bob")); // killed mid-line
        Files.createDirectories(mixed.resolve("copies"));
        Files.copy(alice, mixed.resolve("copies/alice-again.jsonl"));
        write("empty.jsonl", "");
        write("blank.jsonl", "\n  \n");
        write("notes.jsonl", "shopping list\nmilk\n");
        write("other-tool.jsonl", "{\"name\":\"x\",\"value\":1}\n");
        Files.write(mixed.resolve("binary.jsonl"), new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\n', 0, 0});
        write("README.txt", "not a transcript and not looked at\n");
        // A newer tutor: a version 2 line, a type this reader does not know, fields it does not know.
        write("newer.jsonl", line(0, "session_start", "\"session\":\"newer01\",\"step\":\"week1/attention\",\"mode\":\"llm\","
                + "\"workspace\":\"/home/dave/tiny-vllm\"")
                + "{\"v\":2,\"seq\":1,\"ts\":\"2026-11-24T09:00:01Z\",\"type\":\"voice_note\",\"seconds\":3}\n"
                + "{\"v\":2,\"seq\":2,\"ts\":\"2026-11-24T09:00:02Z\",\"type\":\"tutor_message\",\"text\":\"Which axis?\","
                + "\"asksQuestion\":true,\"step\":\"week1/attention\",\"hintLevel\":1,\"mood\":\"calm\"}\n"
                + line(3, "session_end", "\"reason\":\"quit\",\"durationMs\":3000"));
        // Lines with their fields missing, as a buggy writer might leave them, and a garbage line in the middle.
        write("sparse.jsonl", line(0, "check_run", "") + "garbage\n" + line(2, "tutor_message", "") + line(3, "guard_intervention", "")
                + line(4, "student_message", "") + line(5, "hint_level", "") + line(6, "error", "") + line(7, "session_end", ""));
        // A session that just started.
        write("fresh.jsonl", line(0, "session_start", "\"session\":\"fresh01\",\"step\":\"week1/attention\",\"mode\":\"offline\""));
        review = Reviewer.bundled().review(List.of(mixed, mixed.resolve("no-such-file.jsonl")));
        byName = review.inputs().stream().collect(Collectors.toMap(i -> Path.of(i.file()).getFileName().toString(), i -> i));
    }

    static SessionReview session(String id) {
        return review.sessions().stream().filter(s -> s.session().equals(id)).findFirst().orElseThrow();
    }

    static void write(String name, String content) throws Exception {
        Files.createDirectories(mixed);
        Files.writeString(mixed.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void everyBadFileIsListedWithItsReason() {
        assertEquals(List.of("empty file"), byName.get("empty.jsonl").problems());
        assertEquals(List.of("empty file"), byName.get("blank.jsonl").problems());
        assertTrue(byName.get("notes.jsonl").problems().get(0).startsWith("not a transcript"));
        assertTrue(byName.get("other-tool.jsonl").problems().get(0).contains("no type or v"));
        assertTrue(byName.get("binary.jsonl").problems().get(0).startsWith("not a transcript"));
        assertEquals(List.of("no such file or folder"), byName.get("no-such-file.jsonl").problems());
        for (String name : List.of("empty.jsonl", "blank.jsonl", "notes.jsonl", "other-tool.jsonl", "binary.jsonl", "no-such-file.jsonl")) {
            assertEquals("unreadable", byName.get(name).status(), name);
        }
        assertEquals("duplicate", byName.get("alice-again.jsonl").status());
        assertTrue(byName.get("alice-again.jsonl").problems().get(0).startsWith("the same session as "));
        assertFalse(byName.containsKey("README.txt"), "only *.jsonl files are looked at in a folder");
        assertFalse(review.everyInputReviewed());
    }

    @Test
    void theRestIsReviewed() {
        assertEquals(12, review.inputs().size());
        // In the order they started; the three of the same second by file name.
        assertEquals(List.of("alice", "bob", "unknown (fresh.jsonl)", "/home/dave/tiny-vllm", "unknown (sparse.jsonl)"),
                review.sessions().stream().map(SessionReview::student).toList());
        assertEquals(5, review.summary().totals().students());
        SessionReview bob = review.sessions().get(1);
        assertEquals("line 8: torn last line (the session was cut off while writing it)", bob.problems().get(0));
        assertEquals(3, bob.stepActivity().get(0).checks());
    }

    @Test
    void aNewerTutorsFileIsReadForWhatThisOneKnows() {
        SessionReview newer = session("newer01");
        assertEquals(3000, newer.durationMs());
        assertEquals(1, newer.tutor().messages());
        assertEquals(1, newer.tutor().askedQuestion());
        assertEquals(1, newer.stepActivity().get(0).maxHintLevel());
        assertEquals(List.of("line 2: schema version 2 is newer than this tutor's 1; fields it does not know are ignored",
                "line 2: unknown event type voice_note (kept, not interpreted)"), newer.problems());
    }

    @Test
    void linesWithMissingFieldsAreCountedAsUnknownNotGuessed() {
        SessionReview sparse = session("sparse");
        assertEquals("sparse", sparse.session());
        assertEquals(List.of(), sparse.steps(), "no line names a step");
        assertEquals(1, sparse.tutor().messages());
        assertEquals(List.of(new SessionReview.GuardEvent(3, 3000, null, "unknown", null, null, 0, "unknown")), sparse.guard());
        assertEquals(List.of(new SessionReview.ErrorEvent(6, 6000, "unknown", "unknown", null)), sparse.errors());
        assertEquals("unknown", sparse.endReason());
        assertEquals(7000, sparse.durationMs(), "no recorded duration: first to last line");
        assertTrue(sparse.problems().get(0).startsWith("line 2: "), sparse.problems().toString());
        assertTrue(sparse.problems().contains("no session_start line: the workspace and the first step are unknown"));
    }

    @Test
    void aSessionThatJustStartedHasNoFiguresButAPlace() {
        SessionReview fresh = session("fresh01");
        assertEquals(0, fresh.durationMs());
        assertEquals(List.of("week1/attention"), fresh.steps());
        assertEquals(List.of("no session_end line: the session was cut off or is still running"), fresh.problems());
    }

    @Test
    void everyFormatRendersTheMessAndNamesTheBadFiles() throws Exception {
        String text = ReviewFormat.TEXT.render(review);
        assertTrue(text.startsWith("Review of 5 sessions by 5 students (12 files: 5 reviewed, 6 unreadable, 1 duplicate)"), text);
        assertTrue(text.contains("Files not reviewed"), text);
        assertTrue(text.contains("empty.jsonl (unreadable)\n    empty file"), text);

        JsonNode json = new ObjectMapper().readTree(ReviewFormat.JSON.render(review));
        assertEquals("tiny-vllm-tutor/review", json.get("schema").asText());
        assertEquals(12, json.get("inputs").size());
        assertEquals(5, json.get("sessions").size());

        String html = ReviewFormat.HTML.render(review);
        assertTrue(html.contains("<section id=\"files\">"), "a table of the files with problems");
        assertTrue(html.contains("no such file or folder"));
        assertTrue(html.endsWith("</html>\n"));
    }

    @Test
    void nothingATranscriptSaysBecomesMarkupInTheHtml() throws Exception {
        Path evil = dir.resolve("evil/.tutor/sessions");
        Files.createDirectories(evil);
        String script = "<script>alert(1)</script>";
        Files.writeString(evil.resolve("x.jsonl"), line(0, "session_start", "\"session\":\"e1\",\"step\":\"<b>step</b>\"")
                + line(1, "student_message", "\"text\":\"" + script + "\"")
                + line(2, "guard_intervention", "\"reason\":\"\\\"><script>x</script>\",\"excerpt\":\"" + script + "\"")
                + line(3, "check_run", "\"step\":\"<b>step</b>\",\"status\":\"<img src=x onerror=alert(1)>\"")
                + line(4, "tutor_message", "\"text\":\"" + script + "\",\"asksQuestion\":false"));
        Review r = Reviewer.bundled().review(List.of(evil.getParent().getParent()));
        assertEquals(1, r.sessions().size());
        assertEquals(1, r.sessions().get(0).guard().size());
        String html = ReviewFormat.HTML.render(r);
        assertFalse(html.contains("<script"), "no script from a transcript");
        assertFalse(html.contains("<img"), "no element from a transcript");
        assertFalse(html.contains("<b>step"), "no markup from a step id");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(html.contains("class=\"mark guard ---script-x--script-\""), "class names are sanitised");
    }

    @Test
    void aHugeFileIsListedAsTooLargeAndTheRestIsReviewed() throws Exception {
        Path folder = dir.resolve("huge");
        ClassTranscripts.alice(folder.resolve("alice"));
        // As large as the file that used to end the review in an OutOfMemoryError, without writing 3 GiB: a sparse file.
        try (RandomAccessFile f = new RandomAccessFile(folder.resolve("dump.jsonl").toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        Review r = Reviewer.bundled().review(List.of(folder));
        Review.InputFile dump = r.inputs().stream().filter(i -> i.file().endsWith("dump.jsonl")).findFirst().orElseThrow();
        assertEquals("unreadable", dump.status());
        assertEquals(List.of("too large to review: 3 GiB, over the 32 MiB limit of a transcript"), dump.problems());
        assertEquals(List.of("alice"), r.sessions().stream().map(SessionReview::student).toList());
        assertTrue(ReviewFormat.TEXT.render(r).contains("dump.jsonl (unreadable)\n    too large to review: 3 GiB"));
    }

    @Test
    void withinSmallLimitsALongLineIsSkippedAndALargeFileIsNotRead() throws Exception {
        Path folder = dir.resolve("limits");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("long-line.jsonl"), line(0, "session_start", "\"session\":\"long01\"")
                + line(1, "student_message", "\"text\":\"" + "why ".repeat(100) + "\"")
                + line(2, "session_end", "\"reason\":\"quit\",\"durationMs\":2000"));
        StringBuilder many = new StringBuilder(line(0, "session_start", "\"session\":\"many01\""));
        for (int i = 1; i <= 60; i++) {
            many.append(line(i, "student_message", "\"text\":\"again\""));
        }
        Files.writeString(folder.resolve("many-lines.jsonl"), many);
        Review r = Reviewer.bundled().withLimits(new Transcripts.Limits(4096, 256)).review(List.of(folder));
        Review.InputFile longLine = r.inputs().get(0);
        assertEquals("reviewed", longLine.status());
        assertEquals(List.of("line 2: 478 bytes, over the 256 bytes limit of a line; skipped"), longLine.problems());
        assertEquals(List.of("long01"), r.sessions().stream().map(SessionReview::session).toList());
        assertEquals(2000, r.sessions().get(0).durationMs());
        Review.InputFile manyLines = r.inputs().get(1);
        assertEquals("unreadable", manyLines.status());
        assertTrue(manyLines.problems().get(0).matches("too large to review: \\d\\.\\d KiB, over the 4 KiB limit of a transcript"),
                manyLines.problems().toString());
    }

    @Test
    void aReviewOfNothingButAnUnreadableFileStillRenders() throws Exception {
        Review nothing = Reviewer.bundled().review(List.of(mixed.resolve("notes.jsonl")));
        assertEquals(0, nothing.sessions().size());
        assertFalse(nothing.everyInputReviewed());
        assertTrue(ReviewFormat.TEXT.render(nothing).startsWith("Review of 0 sessions by 0 students (1 file: 0 reviewed, 1 unreadable)"));
        assertTrue(ReviewFormat.HTML.render(nothing).contains("No check was run."));
        assertEquals(0, new ObjectMapper().readTree(ReviewFormat.JSON.render(nothing)).at("/summary/totals/sessions").asInt());
    }

    @Test
    void pathsWithNothingToReviewAreAnError() throws Exception {
        Path emptyFolder = Files.createDirectories(dir.resolve("nothing-here"));
        Files.writeString(emptyFolder.resolve("notes.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reviewer.bundled().review(List.of(emptyFolder)));
        assertEquals("nothing to review: " + emptyFolder + ": no transcripts (*.jsonl) in it", e.getMessage());
    }
}
