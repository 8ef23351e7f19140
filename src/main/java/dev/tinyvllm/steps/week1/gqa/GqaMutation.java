package dev.tinyvllm.steps.week1.gqa;

import dev.tinyvllm.check.Mutation;

/**
 * Known-wrong variants of grouped-query attention and of Qwen2's attention layer, each with the tag a
 * student's output earns when it matches.
 */
public enum GqaMutation implements Mutation {
    /** Query head h reads key/value head {@code h % kvHeads} instead of {@code h / (heads / kvHeads)}. */
    GROUPING_INTERLEAVED(GqaTag.GROUPING_WRONG, Group.GROUPING),
    MASK_IGNORED(GqaTag.MASK_IGNORED, Group.MASK),
    /** Treats true as "blocked". */
    MASK_INVERTED(GqaTag.MASK_INVERTED, Group.MASK),
    SCALE_MISSING(GqaTag.SCALE_MISSING, Group.SCALE),
    /** The q, k and v projections without their biases. */
    BIAS_MISSING(GqaTag.BIAS_MISSING, Group.BIAS),
    /** Rotates the values too. */
    ROPE_ON_V(GqaTag.ROPE_ON_V, Group.ROPE),
    /** Rotates nothing. */
    ROPE_MISSING(GqaTag.ROPE_MISSING, Group.ROPE),
    /** Interleaved pairs where Qwen2 uses half-split ones. */
    ROPE_INTERLEAVED(GqaTag.PAIRING_WRONG, Group.ROPE),
    /** No causal rule: every token sees the whole sequence. */
    CAUSAL_MISSING(GqaTag.CAUSAL_MISSING, Group.CAUSAL);

    /** Mutations of one group replace the same piece, so two of them never combine. */
    public enum Group { GROUPING, MASK, SCALE, BIAS, ROPE, CAUSAL }

    private final Mistake mistake;

    GqaMutation(GqaTag tag, Group group) {
        this.mistake = new Mistake(tag, group);
    }

    @Override
    public Mistake mistake() {
        return mistake;
    }
}
