package dev.tinyvllm.steps.week1.gqa;

import dev.tinyvllm.check.Tag;

/** What week1/gqa's checks can tell about a mistake; the guide asks one question per tag. */
public enum GqaTag implements Tag {
    /** The mask lines up the first query with the first key, as PyTorch's is_causal does. */
    CAUSAL_TOP_LEFT,
    /** The diagonal of the mask is one key off: a token cannot see itself, or sees the next one. */
    CAUSAL_OFF_BY_ONE,
    /** true is read, or written, as "blocked". */
    MASK_INVERTED,
    /** The mask has the right shape but is not BOOLEAN. */
    MASK_NOT_BOOLEAN,
    /** The attention leaves the mask it is given unused. */
    MASK_IGNORED,
    /** Query heads read the wrong key/value head. */
    GROUPING_WRONG,
    /** Numbers cross between heads, or between heads and tokens, in a reshape. */
    HEADS_MIXED,
    SCALE_MISSING,
    BIAS_MISSING,
    ROPE_ON_V,
    ROPE_MISSING,
    /** Interleaved RoPE pairs where Qwen2 uses half-split ones. */
    PAIRING_WRONG,
    /** The layer lets a token see later tokens. */
    CAUSAL_MISSING,
    /** The student's RoPE from week1/rope differs on its own. */
    ROPE_DIVERGES,
    /** The student's grouped attention differs on its own. */
    GROUPED_ATTENTION_DIVERGES
}
