package dev.tinyvllm.host.wire;

import java.io.IOException;

/** Bytes that are not a well-formed frame or value: from the student JVM, at worst that check's error. */
public final class WireException extends IOException {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message);
    }
}
