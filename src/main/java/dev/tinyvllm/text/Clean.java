package dev.tinyvllm.text;

/**
 * Text from student code (what it printed, its exceptions' messages) made safe for every report: no
 * control characters or escape sequences reach a terminal, no character XML forbids reaches a JUnit
 * file, and nothing runs past a length.
 */
public final class Clean {

    private Clean() {}

    /** The text without control characters (but newline and tab) or non-characters, cut to {@code max}. */
    public static String text(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder s = new StringBuilder(Math.min(text.length(), max + 32));
        int i = 0;
        while (i < text.length() && s.length() < max) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            if (c == 0x1B) {
                i = afterEscape(text, i + 1);
                continue;
            }
            if (c == '\n' || c == '\t') {
                s.append((char) c);
            } else if (c == '\r') {
                s.append('\n');
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (allowed(c)) {
                s.appendCodePoint(c);
            } else {
                s.append('\uFFFD');
            }
            i += width;
        }
        if (i < text.length()) {
            s.append(" [... cut]");
        }
        return s.toString();
    }

    /** Whether XML 1.0 allows it, and it is no control or formatting character a terminal acts on. */
    static boolean allowed(int c) {
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            return false;
        }
        if (c >= 0xD800 && c <= 0xDFFF) {
            return false; // a lone surrogate
        }
        if (c == 0xFFFE || c == 0xFFFF || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) {
            return false;
        }
        // Bidirectional overrides and isolates can make text read as something else on a terminal.
        return !(c >= 0x202A && c <= 0x202E) && !(c >= 0x2066 && c <= 0x2069);
    }

    /** Skips an escape sequence (CSI, OSC and the short ones) after its ESC. */
    private static int afterEscape(String text, int i) {
        if (i >= text.length()) {
            return i;
        }
        char kind = text.charAt(i);
        if (kind == '[') {
            i++;
            while (i < text.length() && (text.charAt(i) < 0x40 || text.charAt(i) > 0x7E)) {
                i++;
            }
            return Math.min(text.length(), i + 1);
        }
        if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') {
            i++;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == 0x07) {
                    return i + 1;
                }
                if (c == 0x1B && i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                    return i + 2;
                }
                i++;
            }
            return i;
        }
        return i + 1;
    }
}
