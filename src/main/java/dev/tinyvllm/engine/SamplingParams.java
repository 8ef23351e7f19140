package dev.tinyvllm.engine;

import java.util.Set;

/**
 * How to pick tokens and when to stop.
 *
 * @param temperature 0 for greedy; otherwise logits are divided by it before sampling
 * @param topK keep only the k most likely tokens (0: all)
 * @param topP keep the smallest set of most likely tokens whose probability reaches p (1: all)
 * @param seed seed of the sampler; a token's draw depends only on (seed, position), so a sequence that is
 *             preempted and recomputed draws the same tokens
 * @param maxTokens most tokens to generate
 * @param stopTokenIds ids that end the generation (the stop token itself is kept in the output)
 * @param ignoreStop generate exactly {@code maxTokens} tokens, stop ids or not (benchmarks)
 * @param keepLogits keep the logits of every generated position (tests compare them with the oracle)
 */
public record SamplingParams(double temperature, int topK, double topP, long seed, int maxTokens,
        Set<Integer> stopTokenIds, boolean ignoreStop, boolean keepLogits) {

    public SamplingParams {
        if (!(temperature >= 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 or more, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be 0 (off) or more, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
        }
        stopTokenIds = Set.copyOf(stopTokenIds);
    }

    /** Greedy decoding of at most {@code maxTokens} tokens. */
    public static SamplingParams greedy(int maxTokens, Set<Integer> stopTokenIds) {
        return new SamplingParams(0, 0, 1, 0, maxTokens, stopTokenIds, false, false);
    }

    public SamplingParams withKeepLogits() {
        return new SamplingParams(temperature, topK, topP, seed, maxTokens, stopTokenIds, ignoreStop, true);
    }

    public SamplingParams withIgnoreStop() {
        return new SamplingParams(temperature, topK, topP, seed, maxTokens, stopTokenIds, true, keepLogits);
    }
}
