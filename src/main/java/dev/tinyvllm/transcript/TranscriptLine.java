package dev.tinyvllm.transcript;

import java.time.Instant;

/** An event with its envelope: schema version, position in the session, time. */
public record TranscriptLine(int version, long seq, Instant ts, TranscriptEvent event) {}
