package dev.tinyvllm.transcript;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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

    /** Reads a transcript file; never throws for bad content, only reports it. */
    public static Transcript read(Path file) {
        List<TranscriptLine> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> raw;
        try {
            raw = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
        } catch (IOException e) {
            return new Transcript(file, List.of(), List.of("cannot read: " + e.getMessage()));
        }
        int last = raw.size() - 1;
        while (last >= 0 && raw.get(last).isBlank()) {
            last--;
        }
        if (last < 0) {
            return new Transcript(file, List.of(), List.of("empty file"));
        }
        boolean newer = false;
        for (int i = 0; i <= last; i++) {
            String text = raw.get(i);
            if (text.isBlank()) {
                continue;
            }
            try {
                TranscriptLine line = parseLine(text);
                if (line.version() > SCHEMA_VERSION && !newer) {
                    newer = true;
                    problems.add("line " + (i + 1) + ": schema version " + line.version()
                            + " is newer than this tutor's " + SCHEMA_VERSION + "; fields it does not know are ignored");
                }
                if (line.event() instanceof TranscriptEvent.Unknown u) {
                    problems.add("line " + (i + 1) + ": unknown event type " + u.type() + " (kept, not interpreted)");
                }
                lines.add(line);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                if (i == last && !lines.isEmpty()) {
                    problems.add("line " + (i + 1) + ": torn last line (the session was cut off while writing it)");
                } else {
                    problems.add("line " + (i + 1) + ": " + reason(e));
                }
            }
        }
        if (lines.isEmpty()) {
            return new Transcript(file, List.of(), List.of("not a transcript: no line is a tutor event ("
                    + problems.get(0) + ")"));
        }
        return new Transcript(file, List.copyOf(lines), List.copyOf(problems));
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
