package dev.tinyvllm.testing;

import dev.tinyvllm.curriculum.Resources;

/** The reference and skeleton sources of week1/attention, and textual mutations of them. */
public final class AttentionSources {

    public static final String FILE = "src/main/java/week1/attention/Attention.java";

    private AttentionSources() {}

    public static String reference() {
        return Resources.requireText("reference-solutions/week1/attention/" + FILE);
    }

    public static String skeleton() {
        return Resources.requireText("curriculum/week1/attention/" + FILE);
    }

    /** The reference with each {@code from} replaced by the following {@code to}; every {@code from} must occur. */
    public static String referenceWith(String... fromTo) {
        return StepSources.edited("the reference", reference(), fromTo);
    }
}
