package dev.tinyvllm.cli;

import dev.tinyvllm.tutor.TutorConfig;
import picocli.CommandLine.Option;

/** The tutor's options, shared by {@code tutor} and {@code tutor shell}. */
public final class TutorOptions {

    @Option(names = "--base-url", paramLabel = "URL",
            description = "An OpenAI-compatible endpoint, for example http://localhost:11434/v1 (env TUTOR_BASE_URL).")
    String baseUrl;

    @Option(names = "--model", paramLabel = "NAME", description = "The model to ask (env TUTOR_MODEL).")
    String model;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "The endpoint's API key (env OPENAI_API_KEY; prefer it, a flag shows in the process list).")
    String apiKey;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "How long to wait for the model before the offline tutor answers (default 60).")
    Integer timeoutSeconds;

    @Option(names = "--no-stream", description = "Ask for whole answers instead of a stream (for servers whose streaming is broken).")
    boolean noStream;

    @Option(names = "--offline", description = "Use the offline tutor even when an endpoint is configured.")
    boolean offline;

    @Option(names = "--step", paramLabel = "STEP", description = "The step to start on (default: the first you have not passed).")
    String step;

    TutorConfig.Flags flags() {
        return new TutorConfig.Flags(baseUrl, model, apiKey, timeoutSeconds, offline, noStream);
    }
}
