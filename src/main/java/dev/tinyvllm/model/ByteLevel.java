package dev.tinyvllm.model;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet, which Qwen2's tokenizer uses: every byte is shown as one printable
 * character, so BPE works on any UTF-8 text with no unknown token.
 */
public final class ByteLevel {

    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + extra++);
        }
    }

    private ByteLevel() {}

    /** The character standing for one byte. */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** A text's UTF-8 bytes as byte-level characters. */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(charOf(b));
        }
        return sb.toString();
    }
}
