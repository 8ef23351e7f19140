package dev.tinyvllm.engine;

import dev.tinyvllm.model.Qwen2Tokenizer;
import java.util.function.Consumer;

/** Generates text for one prompt and streams it piece by piece as tokens are sampled. */
public final class TextGeneration {

    /** What one generation did and how fast. */
    public record Stats(int promptTokens, int generatedTokens, int cachedPromptTokens, double prefillSeconds,
            double decodeSeconds, Sequence.FinishReason finishReason) {

        public double prefillTokensPerSecond() {
            return prefillSeconds > 0 ? (promptTokens - cachedPromptTokens) / prefillSeconds : 0;
        }

        public double decodeTokensPerSecond() {
            return decodeSeconds > 0 && generatedTokens > 1 ? (generatedTokens - 1) / decodeSeconds : 0;
        }
    }

    private TextGeneration() {}

    /** Runs {@code prompt} to its end on an idle engine, sending text pieces to {@code out}. */
    public static Stats run(LlmEngine engine, Qwen2Tokenizer tokenizer, int[] prompt, SamplingParams params,
            Consumer<String> out) {
        Qwen2Tokenizer.StreamDecoder decoder = tokenizer.streamDecoder();
        Sequence seq = engine.add(prompt, params, (s, token) -> {
            if (!params.stopTokenIds().contains(token)) {
                String piece = decoder.accept(token);
                if (!piece.isEmpty()) {
                    out.accept(piece);
                }
            }
        });
        long start = System.nanoTime();
        long firstToken = 0;
        while (seq.status() != Sequence.Status.FINISHED) {
            engine.step();
            if (firstToken == 0 && seq.output().length > 0) {
                firstToken = System.nanoTime();
            }
        }
        long end = System.nanoTime();
        String rest = decoder.finish();
        if (!rest.isEmpty()) {
            out.accept(rest);
        }
        if (seq.finishReason() == Sequence.FinishReason.ERROR) {
            throw new IllegalStateException(seq.error());
        }
        return new Stats(prompt.length, seq.output().length, seq.cachedPromptTokens(), (firstToken - start) / 1e9,
                (end - firstToken) / 1e9, seq.finishReason());
    }
}
