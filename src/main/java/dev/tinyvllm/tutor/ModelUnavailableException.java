package dev.tinyvllm.tutor;

/** The LLM endpoint failed (refused, timed out, an HTTP error, a reply that is not the protocol). */
public final class ModelUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
