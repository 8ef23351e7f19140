package dev.tinyvllm.steps.week1.rope;

import dev.tinyvllm.check.Mutation;

/**
 * A known-wrong variant of rotary embeddings, each a mistake students make, with the diagnostic tag
 * a student's output earns when it matches the variant.
 */
public enum RopeMutation implements Mutation {
    /** Pairs the numbers of the other layout: interleaved where half-split is asked, or the reverse. */
    LAYOUT_SWAPPED(RopeTag.PAIRING_WRONG, Group.PAIRING),
    /** Rotates the right pairs, but with an angle table laid out for the other layout. */
    ANGLES_FOR_OTHER_LAYOUT(RopeTag.PAIRING_WRONG, Group.PAIRING),
    /** base^(-i/D) instead of base^(-2i/D). */
    EXPONENT_WITHOUT_TWO(RopeTag.FREQUENCIES_WRONG, Group.FREQUENCIES),
    /** A base of 10000 whatever the base given (Qwen2 uses 1000000). */
    BASE_IGNORED(RopeTag.FREQUENCIES_WRONG, Group.FREQUENCIES),
    /** Positions count from 0 whatever the offset. */
    OFFSET_IGNORED(RopeTag.OFFSET_IGNORED, Group.POSITIONS),
    /** Positions count from offset + 1. */
    POSITIONS_FROM_ONE(RopeTag.POSITIONS_SHIFTED, Group.POSITIONS),
    /** Turns each pair the other way round (the sine's sign flipped). */
    ROTATION_REVERSED(RopeTag.ROTATION_REVERSED, Group.DIRECTION);

    /** Mutations of one group replace the same piece, so two of them never combine. */
    public enum Group { PAIRING, FREQUENCIES, POSITIONS, DIRECTION }

    private final Mistake mistake;

    RopeMutation(RopeTag tag, Group group) {
        this.mistake = new Mistake(tag, group);
    }

    @Override
    public Mistake mistake() {
        return mistake;
    }
}
