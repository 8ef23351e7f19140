package dev.tinyvllm.host.wire;

/**
 * A folder the student JVM opens with the student API on its side: a model folder or a tokenizer. The
 * judge wrote the folder; the student JVM sees it read-only.
 */
public record Open(Kind kind, String path) {

    /** What the student API makes of the folder. */
    public enum Kind { MODEL_FOLDER, TOKENIZER }
}
