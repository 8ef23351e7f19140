package dev.tinyvllm.transcript;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads transcripts, tolerating everything a crash, an older or newer tutor, or a stray file can leave. */
public final class Transcripts {

    public static final int SCHEMA_VERSION = 1;

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    private static final Map<String, Class<? extends TranscriptEvent>> TYPES = Map.ofEntries(
            Map.entry("session_start", TranscriptEvent.SessionStart.class),
            Map.entry("student_message", TranscriptEvent.StudentMessage.class),
            Map.entry("tutor_message", TranscriptEvent.TutorMessage.class),
            Map.entry("tool_call", TranscriptEvent.ToolCall.class),
            Map.entry("tool_result", TranscriptEvent.ToolResult.class),
            Map.entry("check_run", TranscriptEvent.CheckRun.class),
            Map.entry("guard_intervention", TranscriptEvent.GuardIntervention.class),
            Map.entry("hint_level", TranscriptEvent.HintLevel.class),
            Map.entry("error", TranscriptEvent.Error.class),
            Map.entry("session_end", TranscriptEvent.SessionEnd.class));

    /**
     * What a file held: the events that could be read and a note for every line that could not.
     *
     * @param problems human-readable, with line numbers; a file that is not a transcript at all has
     *     no events and says so here
     */
    public record Transcript(Path file, List<TranscriptLine> lines, List<String> problems) {

        public boolean readable() {
            return !lines.isEmpty();
        }
    }

    private Transcripts() {}

    static ObjectNode toJson(TranscriptLine line) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", line.version());
        node.put("seq", line.seq());
        node.put("ts", line.ts().toString());
        node.put("type", line.event().type());
        JsonNode body = line.event() instanceof TranscriptEvent.Unknown unknown
                ? JSON.valueToTree(unknown.fields())
                : JSON.valueToTree(line.event());
        body.fields().forEachRemaining(f -> {
            if (!node.has(f.getKey())) {
                node.set(f.getKey(), f.getValue());
            }
        });
        return node;
    }

    /** Parses one line; throws with a reason when it is not an event. */
    public static TranscriptLine parseLine(String text) throws JsonProcessingException {
        JsonNode node = JSON.readTree(text);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!node.hasNonNull("type") || !node.hasNonNull("v")) {
            throw new IllegalArgumentException("not a transcript event (no type or v)");
        }
        int version = node.get("v").asInt();
        long seq = node.path("seq").asLong(-1);
        Instant ts;
        try {
            ts = Instant.parse(node.path("ts").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad ts " + node.path("ts"));
        }
        String type = node.get("type").asText();
        Class<? extends TranscriptEvent> cls = TYPES.get(type);
        TranscriptEvent event;
        if (cls == null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = JSON.convertValue(node, Map.class);
            event = new TranscriptEvent.Unknown(type, fields);
        } else {
            event = JSON.treeToValue(node, cls);
        }
        return new TranscriptLine(version, seq, ts, event);
    }

    /**
     * How much of a file the reader takes in. A session writes a few kilobytes a minute and the tutor cuts
     * what it logs (a tool's result to 4,000 characters), so a real transcript is far below both limits; a
     * file above them is a stray or damaged one, and reading it whole could exhaust the heap.
     *
     * @param maxFileBytes a larger file is not read at all and is listed as unreadable, with its size
     * @param maxLineBytes a longer line is skipped, with its length, without being held in memory
     */
    public record Limits(long maxFileBytes, int maxLineBytes) {

        /** 32 MiB per file, 1 MiB per line. */
        public static final Limits DEFAULT = new Limits(32L << 20, 1 << 20);

        public Limits {
            if (maxFileBytes < 1 || maxLineBytes < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    /** Reads a transcript file within the default limits; never throws for bad content, only reports it. */
    public static Transcript read(Path file) {
        return read(file, Limits.DEFAULT);
    }

    /** Reads a transcript file within {@code limits}; never throws for bad content, only reports it. */
    public static Transcript read(Path file, Limits limits) {
        try {
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                return unreadable(file, tooLarge(size, limits));
            }
            try (InputStream in = Files.newInputStream(file)) {
                return read(file, in, limits);
            }
        } catch (IOException e) {
            return unreadable(file, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Reads a transcript from a stream, one line at a time: never more than one line of at most
     * {@code limits.maxLineBytes()} is held, and reading stops past {@code limits.maxFileBytes()} (a pipe
     * or a file still growing has no size to check first).
     */
    static Transcript read(Path file, InputStream in, Limits limits) throws IOException {
        List<TranscriptLine> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        LineReader reader = new LineReader(in, limits.maxLineBytes(), limits.maxFileBytes());
        boolean newer = false;
        boolean any = false;
        // The last line that did not parse: whether it was torn is known only once no other line follows.
        String failed = null;
        long failedAt = 0;
        try {
            for (LineReader.Line raw = reader.next(); raw != null; raw = reader.next()) {
                if (!raw.tooLong() && raw.text().isBlank()) {
                    continue;
                }
                any = true;
                if (failed != null) {
                    problems.add("line " + failedAt + ": " + failed);
                    failed = null;
                }
                if (raw.tooLong()) {
                    problems.add("line " + raw.number() + ": " + size(raw.bytes()) + ", over the " + size(limits.maxLineBytes())
                            + " limit of a line; skipped");
                    continue;
                }
                try {
                    TranscriptLine line = parseLine(raw.text());
                    if (line.version() > SCHEMA_VERSION && !newer) {
                        newer = true;
                        problems.add("line " + raw.number() + ": schema version " + line.version()
                                + " is newer than this tutor's " + SCHEMA_VERSION + "; fields it does not know are ignored");
                    }
                    if (line.event() instanceof TranscriptEvent.Unknown u) {
                        problems.add("line " + raw.number() + ": unknown event type " + u.type() + " (kept, not interpreted)");
                    }
                    lines.add(line);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    failed = reason(e);
                    failedAt = raw.number();
                }
            }
        } catch (LineReader.TooLarge e) {
            return unreadable(file, "too large to review: over the " + size(e.limit()) + " limit of a transcript");
        }
        if (failed != null) {
            problems.add("line " + failedAt + ": "
                    + (lines.isEmpty() ? failed : "torn last line (the session was cut off while writing it)"));
        }
        if (!any) {
            return unreadable(file, "empty file");
        }
        if (lines.isEmpty()) {
            return unreadable(file, "not a transcript: no line is a tutor event (" + problems.get(0) + ")");
        }
        return new Transcript(file, List.copyOf(lines), List.copyOf(problems));
    }

    private static Transcript unreadable(Path file, String problem) {
        return new Transcript(file, List.of(), List.of(problem));
    }

    private static String tooLarge(long size, Limits limits) {
        return "too large to review: " + size(size) + ", over the " + size(limits.maxFileBytes()) + " limit of a transcript";
    }

    /** {@code 512 bytes}, {@code 1 MiB}, {@code 3.0 GiB}: exact when whole, else one decimal. */
    static String size(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v == Math.rint(v) ? (long) v + " " + units[u] : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
