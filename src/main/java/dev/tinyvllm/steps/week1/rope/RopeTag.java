package dev.tinyvllm.steps.week1.rope;

import dev.tinyvllm.check.Tag;

/** What a failed check of week1/rope can tell about the student's rotary embeddings. */
public enum RopeTag implements Tag {
    PAIRING_WRONG,
    FREQUENCIES_WRONG,
    OFFSET_IGNORED,
    POSITIONS_SHIFTED,
    ROTATION_REVERSED,
    /** The output is no rotation at all: products of rotated pairs change with more than their distance. */
    NOT_A_ROTATION
}
