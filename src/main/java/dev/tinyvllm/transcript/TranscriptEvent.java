package dev.tinyvllm.transcript;

import java.util.List;
import java.util.Map;

/**
 * One event of a tutoring session, one JSON line of its transcript (schema in docs/transcript.md).
 * On disk each line also carries the envelope: {@code v} (schema version), {@code seq} (0, 1, 2...
 * within the session), {@code ts} (ISO-8601 instant) and {@code type}.
 */
public sealed interface TranscriptEvent {

    /** The {@code type} of the line. */
    String type();

    /**
     * The session begins.
     *
     * @param mode {@code llm} or {@code offline}
     * @param model the LLM's model name, null offline
     * @param endpoint the LLM's base URL without credentials, null offline
     */
    record SessionStart(String session, String step, String mode, String model, String endpoint,
            String tutorVersion, String javaVersion, String workspace) implements TranscriptEvent {
        public String type() {
            return "session_start";
        }
    }

    /** What the student typed (a slash command too, as typed). */
    record StudentMessage(String text) implements TranscriptEvent {
        public String type() {
            return "student_message";
        }
    }

    /**
     * What the tutor answered, as shown to the student (after the guard).
     *
     * @param source {@code llm} or {@code offline}
     * @param asksQuestion whether the message asks the student something
     * @param firstTokenMs from the student's Enter to the first character shown
     */
    record TutorMessage(String text, String source, String step, int hintLevel, boolean asksQuestion,
            long firstTokenMs, long totalMs) implements TranscriptEvent {
        public String type() {
            return "tutor_message";
        }
    }

    /** The LLM asked for a tool. */
    record ToolCall(String id, String tool, Map<String, Object> arguments) implements TranscriptEvent {
        public String type() {
            return "tool_call";
        }
    }

    /** What the tool returned to the LLM (cut to a few thousand characters). */
    record ToolResult(String id, String tool, boolean ok, String result, long millis) implements TranscriptEvent {
        public String type() {
            return "tool_result";
        }
    }

    /** One check of the outcome of a check run, as recorded. */
    record CheckOutcome(String id, String status, List<String> tags) {}

    /**
     * A {@code tutor check} ran in the session (asked by the student or by the LLM).
     *
     * @param status the step's status: PASS, FAIL, NOT_IMPLEMENTED or COMPILE_ERROR
     * @param requestedBy {@code student} or {@code tutor}
     */
    record CheckRun(String step, String status, int passed, int total, int skipped, List<CheckOutcome> checks,
            String requestedBy, long millis) implements TranscriptEvent {
        public String type() {
            return "check_run";
        }
    }

    /**
     * The guard stopped a tutor message.
     *
     * @param reason {@code code}, {@code overlap} (with the reference solution) or {@code no_question}
     * @param excerpt the offending part of the stopped message
     * @param action {@code regenerate} or {@code fallback} (replaced by the offline tutor)
     */
    record GuardIntervention(String reason, String detail, String excerpt, int attempt, String action)
            implements TranscriptEvent {
        public String type() {
            return "guard_intervention";
        }
    }

    /** The hint ladder moved: 0 concept, 1 targeted question, 2 experiment. */
    record HintLevel(String step, int level, String reason) implements TranscriptEvent {
        public String type() {
            return "hint_level";
        }
    }

    /** Something failed (the LLM endpoint, a check, a tool), and what the session did about it. */
    record Error(String source, String message, String recovery) implements TranscriptEvent {
        public String type() {
            return "error";
        }
    }

    /** The session ends: {@code quit}, {@code eof} (Ctrl-D or end of input) or {@code interrupted}. */
    record SessionEnd(String reason, long durationMs) implements TranscriptEvent {
        public String type() {
            return "session_end";
        }
    }

    /** A line of a type this version does not know (a newer tutor wrote it); kept, not interpreted. */
    record Unknown(String type, Map<String, Object> fields) implements TranscriptEvent {}
}
