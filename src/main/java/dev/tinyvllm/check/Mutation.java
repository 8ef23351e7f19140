package dev.tinyvllm.check;

/**
 * A known-wrong variant of an oracle, as the checks combine them: the tag a student's output earns when
 * it matches, and the group of mutations that replace the same piece (two of one group never combine).
 * Each step's mutations are an enum of its own package.
 */
public interface Mutation {

    Tag tag();

    Enum<?> group();
}
