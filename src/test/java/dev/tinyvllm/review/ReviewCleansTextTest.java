package dev.tinyvllm.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transcript full of terminal tricks: colours, OSC titles and hyperlinks, a carriage return that would
 * overwrite a line, a bidi override and a non-character. None of it reaches the reviewer's terminal
 * as it was written; the words around it do.
 */
class ReviewCleansTextTest {

    @TempDir
    static Path dir;

    static final String ESC = "\u001b";
    static final String RED = ESC + "[31m";

    /** The same tricks as a JSON string holds them: control characters escaped, the rest raw. */
    static final String J_ESC = "\\u001b";
    static final String J_RED = J_ESC + "[31m";
    static final String J_TITLE = J_ESC + "]0;pwned\\u0007";
    static final String J_LINK = J_ESC + "]8;;http://evil.example" + J_ESC + "\\\\click" + J_ESC + "]8;;" + J_ESC + "\\\\";
    static final String RLO = "\u202E";
    static final String NONCHAR = "\uFFFE";

    static Review review;
    static String text;

    @BeforeAll
    static void reviewATrickyTranscript() throws Exception {
        Path sessions = Files.createDirectories(dir.resolve("mallory/.tutor/sessions"));
        String transcript = String.join("",
                line(0, "session_start", "\"session\":\"s1" + J_RED + "\",\"step\":\"week1/attention\",\"mode\":\"llm" + J_TITLE
                        + "\",\"model\":\"qwen" + J_LINK + "\""),
                line(1, "student_message", "\"text\":\"why is my mask wrong\\rall checks PASS, well done?\""),
                line(2, "student_message", "\"text\":\"/check" + J_RED + "\""),
                line(3, "check_run", "\"step\":\"week1/attention\",\"status\":\"FAIL" + J_RED + "\",\"passed\":1,\"total\":2,"
                        + "\"skipped\":0,\"checks\":[{\"id\":\"a\",\"status\":\"FAIL\",\"tags\":[\"MASK" + RLO + "DEVNI\"]}],"
                        + "\"requestedBy\":\"student\",\"millis\":5"),
                line(4, "guard_intervention", "\"reason\":\"code" + J_ESC + "[2J\",\"detail\":\"" + J_RED + "7 tokens\","
                        + "\"excerpt\":\"scores" + NONCHAR + "\\r" + J_ESC + "[1Ahidden\",\"attempt\":1,\"action\":\"regenerate\""),
                line(5, "error", "\"source\":\"llm\\u0007\",\"message\":\"boom" + J_ESC + "[0m\\r\\nnext\",\"recovery\":\"\\u009b31m\""),
                line(6, "session_end", "\"reason\":\"quit" + J_TITLE + "\",\"durationMs\":6000"));
        // A file name may hold an escape sequence too.
        Files.writeString(sessions.resolve("s1" + RED + ".jsonl"), transcript, StandardCharsets.UTF_8);
        review = Reviewer.bundled().review(List.of(dir));
        text = ReviewFormat.TEXT.render(review);
    }

    static String line(int seq, String type, String body) {
        return "{\"v\":1,\"seq\":" + seq + ",\"ts\":\"2026-11-24T09:00:0" + seq + "Z\",\"type\":\"" + type + "\"," + body + "}\n";
    }

    /** Characters that a terminal acts on, that XML forbids, or that reorder text. */
    static void assertNothingActive(String report) {
        for (int i = 0; i < report.length(); i++) {
            char c = report.charAt(i);
            boolean active = (c < 0x20 && c != '\n') || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E)
                    || (c >= 0x2066 && c <= 0x2069) || c == 0xFFFE || c == 0xFFFF;
            assertFalse(active, String.format("U+%04X at %d in:%n%s", (int) c, i, report));
        }
    }

    @Test
    void theTranscriptWasReadWithItsTricks() {
        assertEquals(1, review.sessions().size());
        SessionReview s = review.sessions().get(0);
        assertEquals("s1" + RED, s.session(), "the review keeps the data; only what is printed is cleaned");
        assertEquals(1, s.guard().size());
        assertEquals(1, s.errors().size());
    }

    @Test
    void theTextReportPrintsNoEscapeControlOrBidiCharacter() {
        assertNothingActive(text);
        assertFalse(text.contains("\r"));
    }

    @Test
    void theWordsAroundTheTricksAreStillThere() {
        assertTrue(text.contains("Session s1 · mallory · "), text);
        assertTrue(text.contains(" · llm (qwenclick) · ended: quit\n"), text);
        assertTrue(text.contains("  file: " + dir.resolve("mallory/.tutor/sessions/s1.jsonl")), "the file name is cleaned too: " + text);
        // The carriage return cannot put "all checks PASS" over the start of the line: it stays after it.
        assertTrue(text.contains("why is my mask wrong all checks PASS, well done?"), text);
        assertTrue(text.contains(", last FAIL"), text);
        assertTrue(text.contains("tags: MASK\uFFFDDEVNI (1 run)"), text);
        assertTrue(text.contains(" code → regenerate (attempt 1): 7 tokens\n"), text);
        assertTrue(text.contains("        | scores\uFFFD\n        | hidden\n"), "an excerpt keeps its lines, behind the margin: " + text);
        assertTrue(text.contains(" llm\uFFFD: boom next → \uFFFD31m\n"), text);
        assertTrue(text.contains("commands: /check"), text);
    }

    @Test
    void theHtmlReportHoldsNoneOfThemEither() {
        String html = ReviewFormat.HTML.render(review);
        for (String line : html.split("\n", -1)) {
            assertNothingActive(line.replace("\t", " "));
        }
        assertFalse(html.contains("\r"));
        assertTrue(html.contains("why is my mask wrong"), "the words are kept");
    }

    @Test
    void theJsonReportKeepsTheDataEscapedAsJson() throws Exception {
        String json = ReviewFormat.JSON.render(review);
        assertFalse(json.contains(ESC), "Jackson writes control characters as \\u escapes");
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals("s1" + RED, root.at("/sessions/0/session").asText(), "the data itself is unchanged");
    }
}
