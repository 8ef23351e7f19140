package dev.tinyvllm.oracle;

/**
 * A known-wrong variant of an oracle, as the graders combine them: the tag a student's output earns
 * when it matches, and the group of mutations that replace the same piece (two of one group never
 * combine).
 */
public interface Mutation {

    String tag();

    Enum<?> group();
}
