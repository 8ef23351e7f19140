package dev.tinyvllm.check;

/**
 * A diagnosis: a misconception a failed check can show with confidence, which the step's guide turns
 * into a question (its {@code ## Tags} section has one entry per tag). Each step declares one enum of
 * its own tags; the few that every kind of output can earn are {@link CommonTag}s.
 */
public interface Tag {

    /** The name reports and guides use, e.g. {@code MASK_INVERTED}. */
    String name();
}
