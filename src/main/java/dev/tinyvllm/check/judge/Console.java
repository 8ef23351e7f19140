package dev.tinyvllm.check.judge;

import dev.tinyvllm.text.Clean;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a student JVM writes to its stdout and stderr outside System.out (native code, a raw file
 * descriptor): read as it comes so the JVM never blocks on a full pipe, kept per check up to a limit
 * (the rest only counted), and a tail for when the JVM dies. Nothing is ever held as one long line.
 */
final class Console {

    private static final int PER_CHECK = 2000;
    private static final int TAIL = 6000;

    private final StringBuilder current = new StringBuilder();
    private final StringBuilder tail = new StringBuilder();
    private long dropped;

    void read(InputStream stream, String name) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(buffer)) > 0) {
                    add(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The JVM ended.
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private synchronized void add(String text) {
        // DJL's logging notice is the tutor's, not the student's.
        if (text.startsWith("SLF4J")) {
            return;
        }
        int room = PER_CHECK - current.length();
        if (room > 0) {
            current.append(text, 0, Math.min(room, text.length()));
        }
        dropped += Math.max(0, text.length() - Math.max(0, room));
        tail.append(text.length() > TAIL ? text.substring(text.length() - TAIL) : text);
        if (tail.length() > TAIL) {
            tail.delete(0, tail.length() - TAIL);
        }
    }

    /** What came since the last call, or null when nothing did. */
    synchronized String take() {
        String text = current.toString();
        if (dropped > 0) {
            text += "\n[... " + dropped + " more characters cut]";
        }
        current.setLength(0);
        dropped = 0;
        return text.isBlank() ? null : Clean.text(text, PER_CHECK + 64);
    }

    synchronized String tail() {
        return Clean.text(tail.toString(), TAIL).strip();
    }
}
