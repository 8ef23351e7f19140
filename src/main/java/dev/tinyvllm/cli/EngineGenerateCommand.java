package dev.tinyvllm.cli;

import dev.tinyvllm.engine.EngineConfig;
import dev.tinyvllm.engine.LlmEngine;
import dev.tinyvllm.engine.ModelSource;
import dev.tinyvllm.engine.SamplingParams;
import dev.tinyvllm.engine.TextGeneration;
import dev.tinyvllm.model.ChatMessage;
import dev.tinyvllm.model.Qwen2Tokenizer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tutor engine generate}: one prompt, answer streamed as it is generated. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text for one prompt and print it as the tokens come.")
public final class EngineGenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The user's message (or raw text with --raw).")
    String prompt;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message (default: the chat template's).")
    String system;

    @Option(names = "--raw", description = "Send the prompt as it is, without the chat template.")
    boolean raw;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "128", paramLabel = "N", description = "Most tokens to generate. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T", description = "0 is greedy. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Sample among the K likeliest tokens (0: all).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "Sample within probability mass P (1: all).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--cache-mb", defaultValue = "256", paramLabel = "MIB", description = "KV cache size. Default: ${DEFAULT-VALUE}.")
    int cacheMiB;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ModelSource source = model.open();
                Qwen2Tokenizer tokenizer = Qwen2Tokenizer.load(source.path());
                LlmEngine engine = LlmEngine.load(source.path(), model.format(), cacheMiB)) {
            int[] ids;
            if (raw) {
                ids = tokenizer.encode(prompt);
            } else {
                List<ChatMessage> chat = new ArrayList<>();
                if (system != null) {
                    chat.add(ChatMessage.system(system));
                }
                chat.add(ChatMessage.user(prompt));
                ids = tokenizer.encodeChat(chat);
            }
            SamplingParams params = new SamplingParams(temperature, topK, topP, seed, maxTokens,
                    tokenizer.stopTokenIds(), false, false);
            TextGeneration.Stats stats = TextGeneration.run(engine, tokenizer, ids, params, piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            EngineConfig c = engine.config();
            err.printf(Locale.ROOT, "[%s, %s weights, %s: %d prompt tokens at %.1f tok/s, %d generated at %.2f tok/s, %s]%n",
                    source.description(), c.format(), engine.runner().kernels().name(), stats.promptTokens(),
                    stats.prefillTokensPerSecond(), stats.generatedTokens(), stats.decodeTokensPerSecond(),
                    stats.finishReason().toString().toLowerCase(Locale.ROOT));
            err.flush();
            return ExitCodes.OK;
        }
    }
}
