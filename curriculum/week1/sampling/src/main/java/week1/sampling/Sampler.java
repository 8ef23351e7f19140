package week1.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Week 1: turning a model's logits into the next token. Read steps/week1/sampling/README.md first,
 * then run `tutor check week1/sampling` as you go.
 *
 * <p>Order: divide by the temperature, then top-k, then top-p, then renormalise.
 */
public final class Sampler {

    /**
     * @param temperature 0 for greedy decoding, otherwise the number the logits are divided by
     * @param topK 0 to switch top-k off, otherwise how many of the most likely tokens survive (ties at
     *     the boundary all survive)
     * @param topP 1 to switch top-p off, otherwise the probability mass the surviving tokens must reach
     * @param seed seeds the random numbers of {@link #sample}: the same seed gives the same draws
     */
    public Sampler(double temperature, int topK, double topP, long seed) {
        throw new UnsupportedOperationException("the Sampler constructor is not implemented yet");
    }

    /**
     * The distribution {@link #sample} draws from.
     *
     * @param logits float32 [vocab], one row of a model's output
     * @return float32 [vocab]: exactly 0 for every token a filter removed, summing to 1
     */
    public NDArray probabilities(NDArray logits) {
        throw new UnsupportedOperationException("probabilities is not implemented yet");
    }

    /**
     * Draws one token id from {@link #probabilities}, with this sampler's own seeded random numbers.
     *
     * @param logits float32 [vocab]
     * @return a token id, 0 .. vocab - 1
     */
    public int sample(NDArray logits) {
        throw new UnsupportedOperationException("sample is not implemented yet");
    }
}
