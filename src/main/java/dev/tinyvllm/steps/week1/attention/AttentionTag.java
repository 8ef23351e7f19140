package dev.tinyvllm.steps.week1.attention;

import dev.tinyvllm.check.Tag;

/**
 * The misconceptions the attention checks can name, listed as the guide lists them: in the order data
 * flows through the eager version.
 */
public enum AttentionTag implements Tag {
    /** The heads were split by a reshape alone, so a head's slice holds other positions' numbers. */
    HEADS_NOT_TRANSPOSED,
    SCALE_MISSING,
    /** Some factor other than one over the square root of headDim. */
    SCALE_WRONG,
    /** Padded keys still take part. */
    MASK_IGNORED,
    /** Only the padded keys take part. */
    MASK_INVERTED,
    /** Earlier tokens see later ones. */
    CAUSAL_MISSING,
    /** The causal boundary sits one position off: a token misses itself, or sees the next one. */
    CAUSAL_OFF_BY_ONE,
    /** The weights add up to one over the queries instead of over the keys. */
    SOFTMAX_WRONG_AXIS,
    /** The heads were merged by a reshape alone. */
    HEADS_MERGED_WRONG,
    /** Numbers of one head reach another, and no known layout mistake explains how. */
    HEADS_MIXED,
    /** Tokens of one packed sequence see tokens of another. */
    VARLEN_CROSSES_SEQUENCES
}
