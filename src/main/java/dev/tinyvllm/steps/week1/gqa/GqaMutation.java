package dev.tinyvllm.steps.week1.gqa;

import dev.tinyvllm.oracle.Mutation;

/**
 * Known-wrong variants of grouped-query attention and of Qwen2's attention layer, each with the tag a
 * student's output earns when it matches.
 */
public enum GqaMutation implements Mutation {
    /** Query head h reads key/value head {@code h % kvHeads} instead of {@code h / (heads / kvHeads)}. */
    GROUPING_INTERLEAVED("GROUPING_WRONG", Group.GROUPING),
    MASK_IGNORED("MASK_IGNORED", Group.MASK),
    /** Treats true as "blocked". */
    MASK_INVERTED("MASK_INVERTED", Group.MASK),
    SCALE_MISSING("SCALE_MISSING", Group.SCALE),
    /** The q, k and v projections without their biases. */
    BIAS_MISSING("BIAS_MISSING", Group.BIAS),
    /** Rotates the values too. */
    ROPE_ON_V("ROPE_ON_V", Group.ROPE),
    /** Rotates nothing. */
    ROPE_MISSING("ROPE_MISSING", Group.ROPE),
    /** Interleaved pairs where Qwen2 uses half-split ones. */
    ROPE_INTERLEAVED("PAIRING_WRONG", Group.ROPE),
    /** No causal rule: every token sees the whole sequence. */
    CAUSAL_MISSING("CAUSAL_MISSING", Group.CAUSAL);

    /** Mutations of one group replace the same piece, so two of them never combine. */
    public enum Group { GROUPING, MASK, SCALE, BIAS, ROPE, CAUSAL }

    private final String tag;
    private final Group group;

    GqaMutation(String tag, Group group) {
        this.tag = tag;
        this.group = group;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public Group group() {
        return group;
    }
}
