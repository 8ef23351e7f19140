package dev.tinyvllm.cli;

import dev.tinyvllm.engine.ModelSource;
import dev.tinyvllm.engine.WeightFormat;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which model an engine command runs, and how its weights are stored. */
public final class ModelOptions {

    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", description = "A Hugging Face Qwen2 model folder.")
        Path model;

        @Option(names = "--random", paramLabel = "SHAPE",
                description = "A random model written for this run: qwen2-0.5b or tiny.")
        String random;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    // Parsed by picocli, case-insensitively (Main); WeightFormat prints itself in lowercase, as typed.
    @Option(names = "--dtype", defaultValue = "f32", paramLabel = "FORMAT",
            description = "Weights in memory: f32, bf16 or q8 (8-bit groups, quantized at load). Default: ${DEFAULT-VALUE}.")
    WeightFormat dtype;

    @Option(names = "--model-seed", defaultValue = "0", paramLabel = "N", description = "Seed of a --random model.")
    long modelSeed;

    WeightFormat format() {
        return dtype;
    }

    ModelSource open() {
        return source.model != null ? ModelSource.folder(source.model) : ModelSource.random(source.random, modelSeed);
    }
}
