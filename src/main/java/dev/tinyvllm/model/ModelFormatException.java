package dev.tinyvllm.model;

/**
 * A model folder or one of its files cannot be used: missing, malformed, truncated or inconsistent.
 * The message names the file and what is wrong with it, so it can be shown to the user as it is.
 */
public final class ModelFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
