package dev.tinyvllm.steps.week1.sampling;

import dev.tinyvllm.check.Tag;

/** What a failed check of week1/sampling can tell about the student's sampler. */
public enum SamplingTag implements Tag {
    TEMPERATURE_INVERTED,
    TOP_K_TIES_DROPPED,
    TOP_K_OFF_BY_ONE,
    TOP_P_BOUNDARY,
    FILTER_ORDER,
    NOT_RENORMALIZED,
    GREEDY_TIE,
    /** Greedy draws that are not the largest logit at all (not merely the wrong one of a tie). */
    GREEDY_NOT_ARGMAX,
    SEED_IGNORED,
    FILTERS_IGNORED_WHEN_DRAWING,
    DRAWS_OFF_DISTRIBUTION
}
