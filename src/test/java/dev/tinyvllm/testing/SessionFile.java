package dev.tinyvllm.testing;

import dev.tinyvllm.transcript.ManualClock;
import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.transcript.TranscriptWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Writes a transcript with the real {@link TranscriptWriter}, each event at a chosen second of the session. */
public final class SessionFile implements AutoCloseable {

    /** Moved by hand, so every {@code ts} in the file is known exactly. */
    private final ManualClock clock;
    private final Instant start;
    private final TranscriptWriter writer;
    private boolean closed;

    private SessionFile(Path sessionsDir, Instant start) {
        this.clock = new ManualClock(start);
        this.start = start;
        this.writer = TranscriptWriter.create(sessionsDir, clock);
    }

    /** Opens {@code <workspace>/.tutor/sessions/<time>-<id>.jsonl} and writes the session_start at second 0. */
    public static SessionFile start(Path workspace, Instant start, String step, String mode, String model) {
        SessionFile f = new SessionFile(workspace.resolve(".tutor/sessions"), start);
        f.at(0, new TranscriptEvent.SessionStart(f.writer.session(), step, mode, model,
                model == null ? null : "http://127.0.0.1:8080/v1", "0.1.0", "17", "/home/" + workspace.getFileName() + "/tiny-vllm"));
        return f;
    }

    public SessionFile at(long second, TranscriptEvent event) {
        clock.set(start.plusSeconds(second));
        writer.write(event);
        return this;
    }

    /** session_end with its duration, the way the tutor writes it. */
    public Path end(long second, String reason) {
        at(second, new TranscriptEvent.SessionEnd(reason, second * 1000));
        close();
        return writer.file();
    }

    /** No session_end: the tutor was killed; {@code tornTail} is what it was writing. */
    public Path killed(String tornTail) throws Exception {
        close();
        Files.writeString(writer.file(), tornTail, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return writer.file();
    }

    public String session() {
        return writer.session();
    }

    public Path file() {
        return writer.file();
    }

    @Override
    public void close() {
        if (!closed) {
            writer.close();
            closed = true;
        }
    }
}
