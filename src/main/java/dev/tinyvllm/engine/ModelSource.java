package dev.tinyvllm.engine;

import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.RandomQwen2Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a command's model comes from: a Hugging Face folder the user names, or a random model of a known
 * shape written to a temporary folder (deleted on close) because no weights can be downloaded here.
 */
public final class ModelSource implements AutoCloseable {

    private final Path folder;
    private final boolean temporary;
    private final String description;

    private ModelSource(Path folder, boolean temporary, String description) {
        this.folder = folder;
        this.temporary = temporary;
        this.description = description;
    }

    /** A model folder chosen by the user. */
    public static ModelSource folder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("model folder " + folder + " does not exist");
        }
        return new ModelSource(folder, false, folder.toString());
    }

    /** A random model of the named shape ("qwen2-0.5b", "tiny"), stored as bf16 like Qwen2's checkpoints. */
    public static ModelSource random(String preset, long seed) {
        Qwen2Config shape = RandomQwen2Model.preset(preset);
        try {
            Path dir = Files.createTempDirectory("tinyvllm-random-");
            try {
                RandomQwen2Model.write(dir, shape, preset.equals("tiny") ? DType.F32 : DType.BF16, seed, 1);
            } catch (IOException | RuntimeException e) {
                delete(dir);
                throw e;
            }
            return new ModelSource(dir, true, "random " + preset + " (seed " + seed + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the random model: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return folder;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (temporary) {
            delete(folder);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder that cannot be listed is left for the OS to clean.
        }
    }
}
