package dev.tinyvllm.transcript;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Appends a session's events to {@code .tutor/sessions/<start>-<id>.jsonl}, one line each, flushed
 * as it is written: a killed session loses at most the line being written.
 */
public final class TranscriptWriter implements AutoCloseable {

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path file;
    private final BufferedWriter out;
    private final Clock clock;
    private final String session;
    private long seq;

    private TranscriptWriter(Path file, BufferedWriter out, Clock clock, String session) {
        this.file = file;
        this.out = out;
        this.clock = clock;
        this.session = session;
    }

    /** Opens a new transcript in {@code sessionsDir}; the caller writes the SessionStart event first. */
    public static TranscriptWriter create(Path sessionsDir, Clock clock) {
        String session = UUID.randomUUID().toString().substring(0, 8);
        Path file = sessionsDir.resolve(FILE_TIME.format(clock.instant()) + "-" + session + ".jsonl");
        try {
            Files.createDirectories(sessionsDir);
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return new TranscriptWriter(file, out, clock, session);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a transcript in " + sessionsDir, e);
        }
    }

    public Path file() {
        return file;
    }

    /** The session's id, also in the file name. */
    public String session() {
        return session;
    }

    /** Writes one event as one line and flushes it. */
    public synchronized TranscriptLine write(TranscriptEvent event) {
        TranscriptLine line = new TranscriptLine(Transcripts.SCHEMA_VERSION, seq++, clock.instant(), event);
        ObjectNode node = Transcripts.toJson(line);
        try {
            out.write(Transcripts.JSON.writeValueAsString(node));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the transcript " + file, e);
        }
        return line;
    }

    public Instant now() {
        return clock.instant();
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
