package dev.tinyvllm.curriculum.source;

import dev.tinyvllm.curriculum.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Java files a student has for a step (everything under the step's source folder), read fresh
 * on every turn so the tutor always talks about the code as it is now.
 *
 * @param files relative path to content, in path order
 */
public record StudentFiles(Map<String, String> files) {

    private static final long MAX_FILE_BYTES = 256 * 1024;
    private static final int MAX_FILES = 64;

    public static StudentFiles none() {
        return new StudentFiles(Map.of());
    }

    public static StudentFiles read(Path root, Step step) {
        Map<String, String> files = new LinkedHashMap<>();
        Path dir = root.resolve(step.sourceDir());
        if (!Files.isDirectory(dir)) {
            return none();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> javaFiles = walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
                    .sorted().limit(MAX_FILES).toList();
            for (Path p : javaFiles) {
                if (Files.size(p) <= MAX_FILE_BYTES) {
                    files.put(root.relativize(p).toString().replace('\\', '/'),
                            new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // A file that vanished while we looked is read next turn; the tutor works with what it has.
        }
        return new StudentFiles(java.util.Collections.unmodifiableMap(files));
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** Every method of every file, as one source: students may move helpers between files. */
    public JavaSource parsed() {
        return JavaSource.parse(String.join("\n", files.values()));
    }
}
