package dev.tinyvllm.cli;

import dev.tinyvllm.baseline.LibtorchBaseline;
import dev.tinyvllm.engine.ModelSource;
import dev.tinyvllm.engine.bench.BenchFormat;
import dev.tinyvllm.engine.bench.EngineBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tutor engine bench}: tokens per second against libtorch and the memory-bandwidth limit. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prefill and decode speed (batch 1 and concurrent), the prefix cache, libtorch on the",
            "same model, and the memory-bandwidth limit, all in one run."})
public final class EngineBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text or json. Default: ${DEFAULT-VALUE}.")
    BenchFormat format;

    @Option(names = "--prompt-tokens", defaultValue = "128", paramLabel = "N", description = "Batch-1 prompt length. Default: ${DEFAULT-VALUE}.")
    int promptTokens;

    @Option(names = "--decode-tokens", defaultValue = "32", paramLabel = "N", description = "Tokens decoded per request. Default: ${DEFAULT-VALUE}.")
    int decodeTokens;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Concurrent requests. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--batch-prompt-tokens", defaultValue = "16", paramLabel = "N", description = "Prompt length of each concurrent request. Default: ${DEFAULT-VALUE}.")
    int batchPromptTokens;

    @Option(names = "--prefix-tokens", defaultValue = "500", paramLabel = "N", description = "Shared system prompt length. Default: ${DEFAULT-VALUE}.")
    int prefixTokens;

    @Option(names = "--no-libtorch", description = "Skip the libtorch baseline.")
    boolean noLibtorch;

    @Option(names = "--compare-formats",
            description = "Also load f32, bf16 and q8 side by side and compare their batch-1 decode in alternating rounds.")
    boolean compareFormats;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the random prompts.")
    long seed;

    @Override
    public Integer call() {
        if (promptTokens < 1 || decodeTokens < 1 || batch < 1 || batchPromptTokens < 1 || prefixTokens < 1) {
            throw new IllegalArgumentException("token counts and --batch must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EngineBench.Options options = new EngineBench.Options(model.format(), promptTokens, decodeTokens, batch,
                batchPromptTokens, prefixTokens, noLibtorch ? null : new LibtorchBaseline(), compareFormats, seed);
        try (ModelSource source = model.open()) {
            EngineBench.Report report = EngineBench.run(source.path(), source.description(), options, step -> {
                err.println("bench: " + step);
                err.flush();
            });
            out.print(format.render(report));
            out.flush();
        }
        return ExitCodes.OK;
    }
}
