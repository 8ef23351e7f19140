package dev.tinyvllm.steps.week1.sampling;

import dev.tinyvllm.check.Mutation;

/** Known-wrong variants of the distribution a sampler draws from, each with its diagnostic tag. */
public enum SamplingMutation implements Mutation {
    /** Multiplies the logits by the temperature instead of dividing. */
    TEMPERATURE_MULTIPLIED(SamplingTag.TEMPERATURE_INVERTED, Group.TEMPERATURE),
    /** Keeps exactly k tokens, dropping tokens tied with the k-th. */
    TOP_K_TIES_DROPPED(SamplingTag.TOP_K_TIES_DROPPED, Group.TOP_K),
    TOP_K_ONE_FEWER(SamplingTag.TOP_K_OFF_BY_ONE, Group.TOP_K),
    TOP_K_ONE_MORE(SamplingTag.TOP_K_OFF_BY_ONE, Group.TOP_K),
    /** Drops the token whose probability carries the running total past p. */
    TOP_P_CROSSING_TOKEN_DROPPED(SamplingTag.TOP_P_BOUNDARY, Group.TOP_P),
    /** Chooses the top-p tokens from the distribution before the temperature. */
    TOP_P_BEFORE_TEMPERATURE(SamplingTag.FILTER_ORDER, Group.ORDER),
    /** Chooses the top-p tokens from the distribution before top-k. */
    TOP_P_BEFORE_TOP_K(SamplingTag.FILTER_ORDER, Group.ORDER),
    /** Zeroes the filtered tokens but leaves the rest as they were, summing to less than 1. */
    NOT_RENORMALIZED(SamplingTag.NOT_RENORMALIZED, Group.RENORMALIZE),
    /** With temperature 0, picks the last of several tokens tied for the largest logit. */
    GREEDY_LAST_TIE(SamplingTag.GREEDY_TIE, Group.GREEDY);

    /** Mutations of one group replace the same piece, so two of them never combine. */
    public enum Group { TEMPERATURE, TOP_K, TOP_P, ORDER, RENORMALIZE, GREEDY }

    private final Mistake mistake;

    SamplingMutation(SamplingTag tag, Group group) {
        this.mistake = new Mistake(tag, group);
    }

    @Override
    public Mistake mistake() {
        return mistake;
    }
}
