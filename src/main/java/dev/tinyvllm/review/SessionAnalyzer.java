package dev.tinyvllm.review;

import dev.tinyvllm.leak.CodeDetector;
import dev.tinyvllm.leak.LeakRule;
import dev.tinyvllm.leak.ReferenceOverlap;
import dev.tinyvllm.review.SessionReview.Counted;
import dev.tinyvllm.review.SessionReview.ErrorEvent;
import dev.tinyvllm.review.SessionReview.FlaggedMessage;
import dev.tinyvllm.review.SessionReview.GuardEvent;
import dev.tinyvllm.review.SessionReview.Mark;
import dev.tinyvllm.review.SessionReview.StepActivity;
import dev.tinyvllm.review.SessionReview.TutorMessages;
import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.transcript.TranscriptLine;
import dev.tinyvllm.transcript.Transcripts.Transcript;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns one transcript into a {@link SessionReview}. A tutor message as shown is judged by the
 * guard's own {@link LeakRule}: what is flagged here is what the guard should have stopped.
 */
public final class SessionAnalyzer {

    private static final int MAX_LABEL = 160;

    private final Function<String, Optional<ReferenceOverlap>> references;

    /** @param references the overlap measure of a step, empty where the reference is not at hand */
    public SessionAnalyzer(Function<String, Optional<ReferenceOverlap>> references) {
        this.references = references;
    }

    /**
     * @param transcript a readable transcript (at least one line)
     * @param studentFromPath the student as the folder layout tells it, or null to use the workspace
     *     recorded in the transcript
     */
    public SessionReview analyze(Transcript transcript, String studentFromPath) {
        return new Pass(transcript).run(studentFromPath);
    }

    /** Figures of one step while the lines are read. */
    private static final class StepAcc {
        final String step;
        int checks;
        String lastStatus;
        Long firstPassAtMs;
        Integer attemptsToPass;
        long activeMs;
        long activeBeforePassMs;
        Integer maxHint;
        int hintRequests;
        int answerRequests;
        final Map<String, Integer> tags = new TreeMap<>();

        StepAcc(String step) {
            this.step = step;
        }

        void hint(int level) {
            maxHint = maxHint == null ? level : Math.max(maxHint, level);
        }
    }

    private final class Pass {
        final Transcript transcript;
        final Map<String, StepAcc> steps = new LinkedHashMap<>();
        final List<GuardEvent> guard = new ArrayList<>();
        final List<FlaggedMessage> flagged = new ArrayList<>();
        final Map<String, Integer> questionCounts = new LinkedHashMap<>();
        final Map<String, String> questionWording = new LinkedHashMap<>();
        final Map<String, Integer> commands = new TreeMap<>();
        final Map<String, Integer> toolCalls = new TreeMap<>();
        final List<ErrorEvent> errors = new ArrayList<>();
        final List<Mark> timeline = new ArrayList<>();
        final List<Long> firstTokenMs = new ArrayList<>();
        final List<Long> totalMs = new ArrayList<>();
        final List<String> problems;
        String current;
        String session;
        String workspace;
        String mode;
        String model;
        String tutorVersion;
        String endReason;
        Long recordedDurationMs;
        int tutorMessages;
        int asked;
        int fromLlm;
        int fromOffline;
        int answerRequests;

        Pass(Transcript transcript) {
            this.transcript = transcript;
            this.problems = new ArrayList<>(transcript.problems());
        }

        SessionReview run(String studentFromPath) {
            List<TranscriptLine> lines = transcript.lines();
            Instant start = lines.get(0).ts();
            Instant previous = start;
            String previousStep = null;
            boolean sawStart = false;
            for (TranscriptLine line : lines) {
                // Lines out of order (a clock that stepped back) count as no time at all.
                long spanMs = Math.max(0, Duration.between(previous, line.ts()).toMillis());
                if (previousStep != null) {
                    StepAcc acc = step(previousStep);
                    acc.activeMs += spanMs;
                    if (acc.firstPassAtMs == null) {
                        acc.activeBeforePassMs += spanMs;
                    }
                }
                long atMs = Math.max(0, Duration.between(start, line.ts()).toMillis());
                sawStart |= line.event() instanceof TranscriptEvent.SessionStart;
                read(line, atMs);
                if (line.ts().isAfter(previous)) {
                    previous = line.ts();
                }
                previousStep = current;
            }
            if (!sawStart) {
                problems.add("no session_start line: the workspace and the first step are unknown");
            }
            if (endReason == null) {
                problems.add("no session_end line: the session was cut off or is still running");
            }
            long durationMs = recordedDurationMs != null
                    ? recordedDurationMs
                    : Math.max(0, Duration.between(start, previous).toMillis());
            String student = studentFromPath != null ? studentFromPath
                    : workspace != null ? workspace
                    : "unknown (" + transcript.file().getFileName() + ")";
            return new SessionReview(
                    transcript.file().toString(),
                    session != null ? session : sessionFromFileName(),
                    student,
                    start,
                    durationMs,
                    endReason,
                    mode,
                    model,
                    tutorVersion,
                    List.copyOf(steps.keySet()),
                    steps.values().stream().map(this::activity).toList(),
                    new TutorMessages(tutorMessages, asked,
                            tutorMessages == 0 ? null : (double) asked / tutorMessages,
                            fromLlm, fromOffline, Stats.median(firstTokenMs), Stats.median(totalMs)),
                    List.copyOf(guard),
                    List.copyOf(flagged),
                    questions(),
                    answerRequests,
                    new TreeMap<>(commands),
                    new TreeMap<>(toolCalls),
                    List.copyOf(errors),
                    List.copyOf(problems),
                    List.copyOf(timeline));
        }

        private void read(TranscriptLine line, long atMs) {
            long seq = line.seq();
            TranscriptEvent event = line.event();
            if (event instanceof TranscriptEvent.SessionStart s) {
                session = s.session();
                workspace = s.workspace();
                mode = s.mode();
                model = s.model();
                tutorVersion = s.tutorVersion();
                touch(s.step());
            } else if (event instanceof TranscriptEvent.StudentMessage m) {
                student(m.text() == null ? "" : m.text(), seq, atMs);
            } else if (event instanceof TranscriptEvent.TutorMessage m) {
                tutor(m, seq, atMs);
            } else if (event instanceof TranscriptEvent.ToolCall c) {
                toolCalls.merge(c.tool() == null ? "?" : c.tool(), 1, Integer::sum);
            } else if (event instanceof TranscriptEvent.ToolResult r) {
                if (!r.ok()) {
                    toolCalls.merge((r.tool() == null ? "?" : r.tool()) + " (failed)", 1, Integer::sum);
                }
            } else if (event instanceof TranscriptEvent.CheckRun c) {
                check(c, seq, atMs);
            } else if (event instanceof TranscriptEvent.GuardIntervention g) {
                String reason = orUnknown(g.reason());
                String action = orUnknown(g.action());
                guard.add(new GuardEvent(seq, atMs, current, reason, g.detail(), g.excerpt(), g.attempt(), action));
                timeline.add(new Mark(seq, atMs, "guard", reason, current,
                        cut("guard: " + reason + " → " + action + (g.excerpt() == null ? "" : ": " + g.excerpt()))));
            } else if (event instanceof TranscriptEvent.HintLevel h) {
                touch(h.step());
                if (current != null) {
                    step(current).hint(h.level());
                }
                timeline.add(new Mark(seq, atMs, "hint", "level" + h.level(), current,
                        cut("hint level " + h.level() + (h.reason() == null ? "" : ": " + h.reason()))));
            } else if (event instanceof TranscriptEvent.Error e) {
                String source = orUnknown(e.source());
                errors.add(new ErrorEvent(seq, atMs, source, orUnknown(e.message()), e.recovery()));
                timeline.add(new Mark(seq, atMs, "error", source, current, cut("error (" + source + "): " + e.message())));
            } else if (event instanceof TranscriptEvent.SessionEnd e) {
                endReason = e.reason() == null ? "unknown" : e.reason();
                recordedDurationMs = e.durationMs() > 0 ? e.durationMs() : null;
            }
            // An Unknown event (a newer tutor's) is noted by the reader and has no figure here.
        }

        private void student(String text, long seq, long atMs) {
            Optional<String> command = StudentMessages.command(text);
            if (command.isPresent()) {
                commands.merge(command.get(), 1, Integer::sum);
                if (command.get().equals("/step")) {
                    StudentMessages.commandArgument(text).ifPresent(this::touch);
                }
                if (command.get().equals("/hint") && current != null) {
                    step(current).hintRequests++;
                }
                timeline.add(new Mark(seq, atMs, "student", "command", current, cut(text.strip())));
                return;
            }
            String kind = "message";
            if (StudentMessages.asksForTheAnswer(text)) {
                answerRequests++;
                if (current != null) {
                    step(current).answerRequests++;
                }
                kind = "answer_request";
            }
            if (StudentMessages.isQuestion(text)) {
                String key = StudentMessages.normalize(text);
                if (!key.isEmpty()) {
                    questionCounts.merge(key, 1, Integer::sum);
                    questionWording.putIfAbsent(key, text.strip());
                }
                kind = kind.equals("message") ? "question" : kind;
            }
            timeline.add(new Mark(seq, atMs, "student", kind, current, cut(text.strip())));
        }

        private void tutor(TranscriptEvent.TutorMessage m, long seq, long atMs) {
            touch(m.step());
            tutorMessages++;
            if (m.asksQuestion()) {
                asked++;
            }
            if ("llm".equals(m.source())) {
                fromLlm++;
            } else if ("offline".equals(m.source())) {
                fromOffline++;
            }
            if (m.firstTokenMs() > 0) {
                firstTokenMs.add(m.firstTokenMs());
            }
            if (m.totalMs() > 0) {
                totalMs.add(m.totalMs());
            }
            if (current != null) {
                step(current).hint(m.hintLevel());
            }
            String text = m.text() == null ? "" : m.text();
            int before = flagged.size();
            // The student's files at that moment are not in the transcript: a run the student had written
            // (which the guard rightly let through) is flagged too, for a person to look at.
            LeakRule.Findings found = new LeakRule(references.apply(current).orElse(ReferenceOverlap.NONE))
                    .check(text, Set.of());
            for (CodeDetector.Finding f : found.code()) {
                flagged.add(new FlaggedMessage(seq, atMs, current, "code", f.detail(), f.excerpt()));
            }
            found.overlap().ifPresent(match -> flagged.add(new FlaggedMessage(seq, atMs, current,
                    "overlap", match.detail() + " of " + current, match.excerpt())));
            String kind = flagged.size() > before ? "flagged" : m.asksQuestion() ? "question" : "statement";
            timeline.add(new Mark(seq, atMs, "tutor", kind, current, cut(text.strip())));
        }

        private void check(TranscriptEvent.CheckRun c, long seq, long atMs) {
            touch(c.step());
            if (current == null) {
                return;
            }
            StepAcc acc = step(current);
            String status = orUnknown(c.status());
            acc.checks++;
            acc.lastStatus = status;
            if (status.equals("PASS") && acc.firstPassAtMs == null) {
                acc.firstPassAtMs = atMs;
                acc.attemptsToPass = acc.checks;
            }
            Set<String> tags = new LinkedHashSet<>();
            if (c.checks() != null) {
                for (TranscriptEvent.CheckOutcome o : c.checks()) {
                    if (o != null && o.tags() != null && !"PASS".equals(o.status())) {
                        tags.addAll(o.tags());
                    }
                }
            }
            tags.forEach(t -> acc.tags.merge(t, 1, Integer::sum));
            String label = status + " " + c.passed() + "/" + c.total()
                    + (c.skipped() > 0 ? " (" + c.skipped() + " skipped)" : "")
                    + (tags.isEmpty() ? "" : " " + String.join(", ", tags))
                    + (c.requestedBy() == null ? "" : ", asked by the " + c.requestedBy());
            timeline.add(new Mark(seq, atMs, "check", status, current, cut(label)));
        }

        private void touch(String step) {
            if (step != null && !step.isBlank()) {
                current = step;
                step(step);
            }
        }

        private StepAcc step(String id) {
            return steps.computeIfAbsent(id, StepAcc::new);
        }

        private StepActivity activity(StepAcc a) {
            return new StepActivity(a.step, a.checks, a.lastStatus, a.firstPassAtMs, a.attemptsToPass, a.activeMs,
                    a.firstPassAtMs == null ? null : a.activeBeforePassMs, a.maxHint, a.hintRequests, a.answerRequests,
                    new TreeMap<>(a.tags), references.apply(a.step).isPresent());
        }

        private List<Counted> questions() {
            List<Counted> out = new ArrayList<>();
            questionCounts.forEach((key, count) -> out.add(new Counted(questionWording.get(key), count, 1)));
            // Stable: most asked first, then in the order first asked.
            List<Counted> sorted = new ArrayList<>(out);
            sorted.sort((a, b) -> Integer.compare(b.count(), a.count()));
            return List.copyOf(sorted);
        }

        private String sessionFromFileName() {
            // The writer names files <start>-<session id>.jsonl.
            String name = transcript.file().getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            return stem.substring(stem.lastIndexOf('-') + 1);
        }
    }

    /** A field the line left out (an older or a buggy writer): said, not guessed. */
    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }

    private static String cut(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= MAX_LABEL ? oneLine : oneLine.substring(0, MAX_LABEL - 1) + "…";
    }
}
