package dev.tinyvllm.check;

/**
 * A known-wrong variant of an oracle, as the checks combine them: the tag a student's output earns when
 * it matches, and the group of mutations that replace the same piece (two of one group never combine).
 * Each step's mutations are an enum of its own package, each constant holding its {@link Mistake}.
 */
public interface Mutation {

    /** The tag a mutation earns, and the piece of the computation it replaces. */
    record Mistake(Tag tag, Enum<?> group) {}

    Mistake mistake();

    default Tag tag() {
        return mistake().tag();
    }

    default Enum<?> group() {
        return mistake().group();
    }
}
