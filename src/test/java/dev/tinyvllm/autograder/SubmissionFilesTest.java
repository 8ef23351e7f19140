package dev.tinyvllm.autograder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a step's files in an upload of any shape, and nothing but those files. */
class SubmissionFilesTest {

    private static final String FILE = "src/main/java/week1/attention/Attention.java";
    private static final String OTHER = "src/main/java/week1/rope/RoPE.java";

    @TempDir
    Path dir;

    private Path write(String relative, String content) throws IOException {
        Path file = dir.resolve("submission").resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private Map<String, SubmissionFiles.Found> find() {
        return SubmissionFiles.find(dir.resolve("submission"), List.of(FILE, OTHER));
    }

    @Test
    void aWholeWorkspaceAFolderOfItOrTheBareFileAllWork() throws IOException {
        write("my-workspace/" + FILE, "whole");
        assertEquals("my-workspace/" + FILE, find().get(FILE).found());
        assertEquals("whole", new String(find().get(FILE).content()));

        write("Attention.java", "bare");
        assertEquals("my-workspace/" + FILE, find().get(FILE).found(), "the workspace's own path wins over a stray copy");

        Files.delete(dir.resolve("submission/my-workspace/" + FILE));
        assertEquals("Attention.java", find().get(FILE).found());
        SubmissionFiles.Found missing = find().get(OTHER);
        assertFalse(missing.present());
        assertEquals("not found in your submission", missing.problem());
        assertEquals("RoPE.java", missing.fileName());
    }

    @Test
    void equallyGoodCandidatesAreChosenTheSameWayEveryTime() throws IOException {
        write("b/Attention.java", "b");
        write("a/Attention.java", "a");
        write("c/d/Attention.java", "deep");
        assertEquals("a/Attention.java", find().get(FILE).found());
    }

    @Test
    void linksAreNeverFollowedAndHugeFilesAreRefused() throws IOException {
        Path outside = Files.writeString(dir.resolve("secret.txt"), "not the student's");
        Path link = dir.resolve("submission").resolve(FILE);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, outside);
        Files.createSymbolicLink(dir.resolve("submission/linked-folder"), dir);
        assertFalse(find().get(FILE).present(), "a link named Attention.java is not a file of the upload");

        write("RoPE.java", "x".repeat((int) SubmissionFiles.MAX_SOURCE_BYTES + 1));
        SubmissionFiles.Found huge = find().get(OTHER);
        assertFalse(huge.present());
        assertNull(huge.content());
        assertTrue(huge.problem().contains("more than the"), huge.problem());
    }

    @Test
    void aMissingSubmissionFolderFindsNothing() {
        assertFalse(SubmissionFiles.find(dir.resolve("nowhere"), List.of(FILE)).get(FILE).present());
    }
}
