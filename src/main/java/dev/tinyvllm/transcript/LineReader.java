package dev.tinyvllm.transcript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a stream, read a chunk at a time. Whatever the stream holds, memory stays bounded: a
 * line longer than {@code maxLineBytes} is scanned to its end but never kept (only its length is), and
 * the stream is read only up to {@code maxTotalBytes}, past which reading stops with {@link TooLarge}.
 */
final class LineReader {

    /** Thrown when the stream holds more than the limit; what was read is dropped. */
    static final class TooLarge extends IOException {
        private final long limit;

        TooLarge(long limit) {
            super("more than " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }

    /**
     * One line, numbered from 1, without its {@code '\n'}.
     *
     * @param text null when the line was longer than the limit and skipped
     * @param bytes the line's length in bytes, whether kept or not
     */
    record Line(long number, String text, long bytes) {

        boolean tooLong() {
            return text == null;
        }
    }

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final long maxTotalBytes;
    private final byte[] chunk = new byte[CHUNK];
    private int pos;
    private int end;
    private long total;
    private long number;
    private boolean finished;
    private byte[] line = new byte[4096];

    LineReader(InputStream in, int maxLineBytes, long maxTotalBytes) {
        if (maxLineBytes < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** The next line, or null at the end; a last line without {@code '\n'} is a line too. */
    Line next() throws IOException {
        if (finished) {
            return null;
        }
        int kept = 0;
        long bytes = 0;
        boolean tooLong = false;
        while (true) {
            if (pos == end && !fill()) {
                finished = true;
                // "a\n" ends with the newline: no empty line after it, as a text editor sees it.
                return bytes == 0 ? null : line(kept, bytes, tooLong);
            }
            int newline = indexOfNewline();
            int stop = newline < 0 ? end : newline;
            int n = stop - pos;
            bytes += n;
            if (!tooLong && kept + (long) n > maxLineBytes) {
                tooLong = true;
            }
            if (!tooLong) {
                if (kept + n > line.length) {
                    line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, Math.max(kept + (long) n, 2L * line.length)));
                }
                System.arraycopy(chunk, pos, line, kept, n);
                kept += n;
            }
            pos = newline < 0 ? end : newline + 1;
            if (newline >= 0) {
                return line(kept, bytes, tooLong);
            }
        }
    }

    private Line line(int kept, long bytes, boolean tooLong) {
        number++;
        // Decoded line by line: a '\n' byte is never inside a UTF-8 sequence, so this reads as the whole file would.
        return new Line(number, tooLong ? null : new String(line, 0, kept, StandardCharsets.UTF_8), bytes);
    }

    private int indexOfNewline() {
        for (int i = pos; i < end; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, chunk.length);
        while (n == 0) {
            n = in.read(chunk, 0, chunk.length);
        }
        if (n < 0) {
            return false;
        }
        total += n;
        if (total > maxTotalBytes) {
            throw new TooLarge(maxTotalBytes);
        }
        pos = 0;
        end = n;
        return true;
    }
}
