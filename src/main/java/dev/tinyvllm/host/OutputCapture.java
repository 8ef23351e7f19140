package dev.tinyvllm.host;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Takes over System.out and System.err so what student code prints goes into its check's result,
 * cut to a limit. (Bytes written to the file descriptors directly reach the judge's console reader.)
 */
final class OutputCapture extends OutputStream {

    private static final int LIMIT = 4000;

    private final StringBuilder kept = new StringBuilder();
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    private long dropped;

    /** A capture that takes nothing over: for a host inside a test's own JVM. */
    static OutputCapture none() {
        return new OutputCapture();
    }

    static OutputCapture install() {
        OutputCapture capture = new OutputCapture();
        PrintStream stream = new PrintStream(capture, true, StandardCharsets.UTF_8);
        System.setOut(stream);
        System.setErr(stream);
        return capture;
    }

    @Override
    public synchronized void write(int b) {
        if (kept.length() + pending.size() < LIMIT) {
            pending.write(b);
        } else {
            dropped++;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = Math.max(0, LIMIT - kept.length() - pending.size());
        pending.write(b, off, Math.min(room, len));
        dropped += Math.max(0, len - room);
    }

    /** What was printed since the last call, or null if nothing. */
    synchronized String take() {
        kept.append(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        String text = kept.toString();
        if (dropped > 0) {
            text += "\n[... " + dropped + " more bytes cut]";
        }
        kept.setLength(0);
        dropped = 0;
        return text.isEmpty() ? null : text;
    }
}
