package dev.tinyvllm.curriculum;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** What the student has achieved per step, kept in {@code .tutor/progress.json}. */
public final class Progress {

    /** The latest check of one step. */
    public record StepProgress(String status, int passed, int total, int skipped, int attempts,
            String lastCheckedAt, String firstPassedAt) {}

    private record ProgressFile(int schemaVersion, Map<String, StepProgress> steps) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final Map<String, StepProgress> steps;

    private Progress(Path file, Map<String, StepProgress> steps) {
        this.file = file;
        this.steps = steps;
    }

    /** Reads the workspace's progress; a missing or unreadable file counts as no progress yet. */
    public static Progress of(Workspace workspace) {
        Path file = workspace.stateDir().resolve("progress.json");
        Map<String, StepProgress> steps = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            try {
                ProgressFile read = JSON.readValue(file.toFile(), ProgressFile.class);
                if (read.steps() != null) {
                    steps.putAll(read.steps());
                }
            } catch (IOException e) {
                // A corrupt file is replaced by the next check; losing a progress summary loses no work.
                System.err.println("tutor: ignoring unreadable " + file + " (" + e.getMessage() + ")");
            }
        }
        return new Progress(file, steps);
    }

    public StepProgress get(String stepId) {
        return steps.get(stepId);
    }

    /** Records one check run and writes the file atomically. */
    public void record(String stepId, String status, int passed, int total, int skipped) {
        StepProgress before = steps.get(stepId);
        String now = Instant.now().toString();
        int attempts = before == null ? 1 : before.attempts() + 1;
        String firstPassed = before == null ? null : before.firstPassedAt();
        if (firstPassed == null && status.equals("PASS")) {
            firstPassed = now;
        }
        steps.put(stepId, new StepProgress(status, passed, total, skipped, attempts, now, firstPassed));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("progress.json.tmp");
            JSON.writeValue(tmp.toFile(), new ProgressFile(1, steps));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
