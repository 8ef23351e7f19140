package dev.tinyvllm.cli;

import dev.tinyvllm.engine.LlmEngine;
import dev.tinyvllm.engine.ModelSource;
import dev.tinyvllm.engine.server.OpenAiServer;
import dev.tinyvllm.model.Qwen2Tokenizer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tutor engine serve}: an OpenAI-compatible server on 127.0.0.1 until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the model over an OpenAI-compatible API on 127.0.0.1 (POST /v1/chat/completions,",
            "streaming with \"stream\": true; GET /v1/models). The tutor can use it as its LLM."})
public final class EngineServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--port", defaultValue = "8000", paramLabel = "PORT", description = "Port on 127.0.0.1 (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--served-model-name", paramLabel = "NAME", description = "The model id clients use (default: the folder's name).")
    String name;

    @Option(names = "--cache-mb", defaultValue = "512", paramLabel = "MIB", description = "KV cache size. Default: ${DEFAULT-VALUE}.")
    int cacheMiB;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelSource source = model.open();
                Qwen2Tokenizer tokenizer = Qwen2Tokenizer.load(source.path())) {
            LlmEngine engine = LlmEngine.load(source.path(), model.format(), cacheMiB);
            String id = name != null ? name : source.path().getFileName().toString();
            CountDownLatch stopped = new CountDownLatch(1);
            try (OpenAiServer server = new OpenAiServer(engine, tokenizer, id, port)) {
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                out.printf("serving %s (%s weights, %s) at http://127.0.0.1:%d/v1 - Ctrl-C stops%n", id,
                        engine.config().format(), engine.runner().kernels().name(), server.port());
                out.flush();
                stopped.await();
            }
        }
        return ExitCodes.OK;
    }
}
