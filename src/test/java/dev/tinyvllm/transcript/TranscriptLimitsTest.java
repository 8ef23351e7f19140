package dev.tinyvllm.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's memory is bounded by its limits, whatever a file holds. */
class TranscriptLimitsTest {

    @TempDir
    Path dir;

    static final String FIRST = "{\"v\":1,\"seq\":0,\"ts\":\"2026-11-23T10:00:00Z\",\"type\":\"student_message\",\"text\":\"hi\"}\n";
    static final String LAST = "{\"v\":1,\"seq\":2,\"ts\":\"2026-11-23T10:00:02Z\",\"type\":\"session_end\",\"reason\":\"quit\","
            + "\"durationMs\":2000}\n";

    /** {@code prefix}, then {@code count} copies of {@code fill}, then {@code suffix}, made as it is read. */
    static final class Generated extends InputStream {
        private final byte[] prefix;
        private final byte[] suffix;
        private final long count;
        private final byte fill;
        private long at;

        Generated(String prefix, long count, char fill, String suffix) {
            this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
            this.suffix = suffix.getBytes(StandardCharsets.UTF_8);
            this.count = count;
            this.fill = (byte) fill;
        }

        long size() {
            return prefix.length + count + suffix.length;
        }

        long consumed() {
            return at;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= size()) {
                return -1;
            }
            int n = (int) Math.min(len, size() - at);
            for (int i = 0; i < n; i++) {
                long p = at + i;
                b[off + i] = p < prefix.length ? prefix[(int) p]
                        : p < prefix.length + count ? fill : suffix[(int) (p - prefix.length - count)];
            }
            at += n;
            return n;
        }
    }

    @Test
    void aLineOfHundredsOfMegabytesIsSkippedWithoutEverBeingHeld() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported(),
                "this JVM cannot count a thread's allocations");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        long huge = 200L << 20;
        Generated stream = new Generated(FIRST + "{\"v\":1,\"seq\":1,\"type\":\"student_message\",\"text\":\"", huge, 'x',
                "\"}\n" + LAST);
        Transcripts.Limits limits = new Transcripts.Limits(Long.MAX_VALUE, 1 << 20);
        long before = threads.getCurrentThreadAllocatedBytes();
        // A reader that kept the line would allocate at least its 200 MiB (and twice that as a String).
        Transcripts.Transcript t = assertTimeout(Duration.ofSeconds(60),
                () -> Transcripts.read(dir.resolve("generated.jsonl"), stream, limits));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(stream.size(), stream.consumed(), "read to the end");
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes to read a " + stream.size() + "-byte stream");
        assertEquals(2, t.lines().size());
        assertEquals(List.of("line 2: 200.0 MiB, over the 1 MiB limit of a line; skipped"), t.problems());
    }

    @Test
    void aStreamLongerThanTheFileLimitStopsThere() throws Exception {
        Generated stream = new Generated(FIRST, 3L << 20, '\n', LAST);
        Transcripts.Transcript t = Transcripts.read(dir.resolve("growing.jsonl"), stream, new Transcripts.Limits(1 << 20, 1024));
        assertFalse(t.readable());
        assertEquals(List.of("too large to review: over the 1 MiB limit of a transcript"), t.problems());
        assertTrue(stream.consumed() < (2L << 20), "stopped after the limit, read " + stream.consumed());
    }

    @Test
    void aFileOverTheLimitIsNotReadAtAll() throws Exception {
        Path file = dir.resolve("huge.jsonl");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: nothing is written
        }
        Transcripts.Transcript t = Transcripts.read(file);
        assertFalse(t.readable());
        assertEquals(List.of("too large to review: 3 GiB, over the 32 MiB limit of a transcript"), t.problems());
    }

    @Test
    void aLineOfExactlyTheLimitIsKeptAndOneByteMoreIsNot() throws Exception {
        String within = "0123456789";
        LineReader r = new LineReader(new ByteArrayInputStream((within + "\n" + within + "X\r\nlast").getBytes(StandardCharsets.UTF_8)),
                10, 1000);
        assertEquals(new LineReader.Line(1, within, 10), r.next());
        LineReader.Line over = r.next();
        assertTrue(over.tooLong());
        assertEquals(12, over.bytes(), "the carriage return is part of the line, as in the file");
        assertEquals(new LineReader.Line(3, "last", 4), r.next(), "a last line without a newline");
        assertNull(r.next());
        assertNull(r.next());
    }

    @Test
    void multiByteCharactersAcrossChunksReadAsTheWholeFileWould() throws Exception {
        // 64 KiB chunks: put a 3-byte character and a 4-byte one astride the first boundary.
        String text = "a".repeat(65_535) + "€𝄞 end";
        Path file = Files.writeString(dir.resolve("wide.jsonl"), FIRST.replace("\"hi\"", "\"" + text + "\"") + LAST);
        Transcripts.Transcript t = Transcripts.read(file);
        assertEquals(List.of(), t.problems());
        assertEquals(new TranscriptEvent.StudentMessage(text), t.lines().get(0).event());
    }

    @Test
    void sizesAreWrittenForPeople() {
        assertEquals("1 byte", Transcripts.size(1));
        assertEquals("1023 bytes", Transcripts.size(1023));
        assertEquals("1 KiB", Transcripts.size(1024));
        assertEquals("1.5 KiB", Transcripts.size(1536));
        assertEquals("32 MiB", Transcripts.size(32L << 20));
        assertEquals("3 GiB", Transcripts.size(3L << 30));
    }
}
