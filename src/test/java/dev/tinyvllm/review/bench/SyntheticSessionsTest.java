package dev.tinyvllm.review.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.review.Review;
import dev.tinyvllm.review.Reviewer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's sessions are real transcripts: the same seed gives the same class, and all of it is reviewed. */
class SyntheticSessionsTest {

    @TempDir
    Path dir;

    @Test
    void aSeededClassIsWrittenAndReviewedWhole() throws Exception {
        List<Path> files = SyntheticSessions.write(dir.resolve("a"), 12, 7);
        List<Path> again = SyntheticSessions.write(dir.resolve("b"), 12, 7);
        assertEquals(12, files.size());
        for (int i = 0; i < files.size(); i++) {
            // Same events at the same times; only the random session ids differ.
            assertEquals(withoutId(files.get(i)), withoutId(again.get(i)));
        }
        Review review = Reviewer.bundled().review(List.of(dir.resolve("a")));
        assertTrue(review.everyInputReviewed());
        assertEquals(12, review.sessions().size());
        assertEquals(3, review.summary().totals().students());
        assertTrue(review.summary().totals().checks() > 0);
        assertTrue(review.summary().totals().tutorMessages() > 12 * 6 - 1);
    }

    private static String withoutId(Path file) throws Exception {
        String name = file.getFileName().toString();
        String id = name.substring(name.lastIndexOf('-') + 1, name.length() - ".jsonl".length());
        return Files.readString(file).replace(id, "ID");
    }
}
