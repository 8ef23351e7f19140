package dev.tinyvllm.review;

import static dev.tinyvllm.review.Figures.count;
import static dev.tinyvllm.review.Figures.counts;
import static dev.tinyvllm.review.Figures.duration;
import static dev.tinyvllm.review.Figures.offset;
import static dev.tinyvllm.review.Figures.percent;
import static dev.tinyvllm.review.Figures.plural;

import dev.tinyvllm.review.ClassReview.StepSummary;
import dev.tinyvllm.review.ClassReview.TagCount;
import dev.tinyvllm.review.SessionReview.StepActivity;
import dev.tinyvllm.text.Clean;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The review for a terminal: the class first (when there is more than one session), then each session.
 * Every string that comes from a transcript or a file name goes through {@link #one} or {@link #excerpt}:
 * a transcript is written from what a student typed and a model answered, and its escape sequences,
 * carriage returns or bidi overrides must not recolour, overwrite or reorder what the reviewer reads.
 */
final class TextReport {

    static final int TOP = 5;
    /** Longest field on one line; what runs longer is cut and says so. */
    static final int FIELD_CHARS = 1000;
    /** Longest excerpt, over its own lines. */
    static final int EXCERPT_CHARS = 4000;
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder();

    private TextReport() {}

    static String render(Review review) {
        TextReport r = new TextReport();
        r.header(review);
        if (review.sessions().size() > 1) {
            r.summary(review.summary());
        }
        review.sessions().forEach(r::session);
        r.unreviewed(review);
        return r.out.toString();
    }

    private void header(Review review) {
        ClassReview.Totals t = review.summary().totals();
        long reviewed = review.inputs().stream().filter(Review.InputFile::reviewed).count();
        long unreadable = review.inputs().stream().filter(i -> i.status().equals("unreadable")).count();
        long duplicates = review.inputs().stream().filter(i -> i.status().equals("duplicate")).count();
        line("Review of " + plural(t.sessions(), "session", "sessions") + " by " + plural(t.students(), "student", "students")
                + " (" + plural(review.inputs().size(), "file", "files") + ": " + reviewed + " reviewed"
                + (unreadable > 0 ? ", " + unreadable + " unreadable" : "")
                + (duplicates > 0 ? ", " + duplicates + " duplicate" : "") + ")");
    }

    private void summary(ClassReview c) {
        ClassReview.Totals t = c.totals();
        line("");
        line("All sessions");
        line("  time in sessions " + duration(t.durationMs()) + ", " + plural(t.checks(), "check", "checks") + ", "
                + plural(t.tutorMessages(), "tutor message", "tutor messages") + " (" + t.askedQuestion()
                + " asked a question, " + percent(t.questionShare()) + ")");
        line("  guard interventions " + t.guardInterventions()
                + (c.guardByReason().isEmpty() ? "" : " (" + counts(clean(c.guardByReason())) + ")")
                + ", " + t.fallbacks() + " fell back to the offline tutor");
        line("  tutor messages flagged by this review (code or reference overlap): " + t.flaggedMessages());
        line("  answer requests " + t.answerRequests() + ", errors " + t.errors()
                + (c.errorsBySource().isEmpty() ? "" : " (" + counts(clean(c.errorsBySource())) + ")"));
        if (!c.steps().isEmpty()) {
            line("");
            line(String.format(Locale.ROOT, "  %-24s %8s %7s %9s %14s %7s %12s %6s %8s", "step", "students", "passed",
                    "attempts", "time to pass", "checks", "hint 0/1/2", "/hint", "answer?"));
            line(String.format(Locale.ROOT, "  %-24s %8s %7s %9s %14s %7s %12s %6s %8s", "", "", "", "(median)", "(median)",
                    "", "(students)", "", "requests"));
            for (StepSummary s : c.steps()) {
                line(String.format(Locale.ROOT, "  %-24s %8d %7d %9s %14s %7d %12s %6d %8d", one(s.step()), s.students(),
                        s.studentsPassed(), count(s.medianAttempts()),
                        s.medianTimeToPassMs() == null ? "-" : duration(s.medianTimeToPassMs()), s.checks(),
                        s.studentsAtHintLevel().stream().map(String::valueOf).collect(Collectors.joining("/")),
                        s.hintRequests(), s.answerRequests()));
                if (!s.tags().isEmpty()) {
                    line("      tags: " + s.tags().stream().limit(TOP).map(TextReport::tag).collect(Collectors.joining(", ")));
                }
            }
        }
        if (!c.answerRequests().isEmpty()) {
            line("");
            line("  Steps where students asked for the answer most");
            c.answerRequests().stream().limit(TOP).forEach(a -> line(String.format(Locale.ROOT, "    %-24s %s by %s",
                    one(a.step()), plural(a.requests(), "request", "requests"), plural(a.students(), "student", "students"))));
        }
        if (!c.questions().isEmpty()) {
            line("");
            line("  Questions asked most");
            c.questions().stream().limit(TOP).forEach(q -> line("    " + q.count() + "×  " + one(q.text())
                    + " (" + plural(q.students(), "student", "students") + ")"));
        }
    }

    private void session(SessionReview s) {
        line("");
        line("Session " + one(s.session()) + " · " + one(s.student()) + " · " + WHEN.format(s.start()) + " · "
                + duration(s.durationMs()) + " · " + (s.mode() == null ? "mode unknown" : one(s.mode()))
                + (s.model() == null ? "" : " (" + one(s.model()) + ")")
                + " · " + (s.endReason() == null ? "cut off" : "ended: " + one(s.endReason())));
        line("  file: " + one(s.file()));
        for (StepActivity a : s.stepActivity()) {
            StringBuilder b = new StringBuilder("  " + one(a.step()) + ": " + plural(a.checks(), "check", "checks"));
            if (a.firstPassAtMs() != null) {
                b.append(", first PASS at ").append(offset(a.firstPassAtMs())).append(" after ")
                        .append(plural(a.attemptsToPass(), "attempt", "attempts")).append(" (")
                        .append(duration(a.timeToPassMs())).append(" on the step)");
            } else if (a.checks() > 0) {
                b.append(", not passed (").append(duration(a.activeMs())).append(" on the step)");
            } else {
                b.append(" (").append(duration(a.activeMs())).append(" on the step)");
            }
            if (a.lastStatus() != null) {
                b.append(", last ").append(one(a.lastStatus()));
            }
            if (a.maxHintLevel() != null) {
                b.append(", hint level ").append(a.maxHintLevel());
            }
            if (a.hintRequests() > 0) {
                b.append(", /hint ").append(a.hintRequests());
            }
            if (a.answerRequests() > 0) {
                b.append(", ").append(plural(a.answerRequests(), "answer request", "answer requests"));
            }
            line(b.toString());
            if (!a.tags().isEmpty()) {
                line("    tags: " + a.tags().entrySet().stream()
                        .map(e -> one(e.getKey()) + " (" + plural(e.getValue(), "run", "runs") + ")").collect(Collectors.joining(", ")));
            }
        }
        SessionReview.TutorMessages t = s.tutor();
        line("  tutor: " + plural(t.messages(), "message", "messages") + ", " + t.askedQuestion() + " asked a question ("
                + percent(t.questionShare()) + "); llm " + t.fromLlm() + ", offline " + t.fromOffline()
                + (t.medianFirstTokenMs() == null ? "" : "; median first token " + duration(t.medianFirstTokenMs()))
                + (t.medianTotalMs() == null ? "" : ", whole answer " + duration(t.medianTotalMs())));
        if (!s.guard().isEmpty()) {
            line("  guard: " + plural(s.guard().size(), "intervention", "interventions"));
            for (SessionReview.GuardEvent g : s.guard()) {
                line("    " + offset(g.atMs()) + " " + one(g.reason()) + " → " + one(g.action()) + " (attempt " + g.attempt() + ")"
                        + (g.detail() == null ? "" : ": " + one(g.detail())));
                excerpt(g.excerpt());
            }
        }
        if (!s.flagged().isEmpty()) {
            line("  flagged by the review (shown to the student):");
            for (SessionReview.FlaggedMessage f : s.flagged()) {
                line("    " + offset(f.atMs()) + " " + one(f.kind()) + ": " + one(f.detail()));
                excerpt(f.excerpt());
            }
        }
        if (!s.questions().isEmpty()) {
            line("  the student asked most:");
            s.questions().stream().limit(TOP).forEach(q -> line("    " + q.count() + "×  " + one(q.text())));
        }
        if (s.answerRequests() > 0) {
            line("  asked for the answer: " + plural(s.answerRequests(), "time", "times"));
        }
        if (!s.commands().isEmpty()) {
            line("  commands: " + counts(clean(s.commands())));
        }
        if (!s.toolCalls().isEmpty()) {
            line("  tool calls: " + counts(clean(s.toolCalls())));
        }
        if (!s.errors().isEmpty()) {
            line("  errors:");
            s.errors().forEach(e -> line("    " + offset(e.atMs()) + " " + one(e.source()) + ": " + one(String.valueOf(e.message()))
                    + (e.recovery() == null ? "" : " → " + one(e.recovery()))));
        }
        if (!s.problems().isEmpty()) {
            line("  notes on the file:");
            s.problems().forEach(p -> line("    " + one(p)));
        }
    }

    private void unreviewed(Review review) {
        List<Review.InputFile> skipped = review.inputs().stream().filter(i -> !i.reviewed()).toList();
        if (skipped.isEmpty()) {
            return;
        }
        line("");
        line("Files not reviewed");
        for (Review.InputFile i : skipped) {
            line("  " + one(i.file()) + " (" + i.status() + ")");
            i.problems().forEach(p -> line("    " + one(p)));
        }
    }

    /** Keeps the excerpt's own lines (code reads best as it was), each behind the report's margin. */
    private void excerpt(String text) {
        String clean = Clean.text(text, EXCERPT_CHARS);
        if (clean != null && !clean.isBlank()) {
            clean.lines().forEach(l -> line("        | " + l.replace('\t', ' ')));
        }
    }

    private static String tag(TagCount t) {
        return one(t.tag()) + " (" + plural(t.students(), "student", "students") + ", " + plural(t.runs(), "run", "runs") + ")";
    }

    /**
     * A transcript's text as one field of one line: Clean drops escape sequences, control characters, bidi
     * overrides and non-characters; a line break (a carriage return becomes one) would start a line the
     * report did not write, so it is a space here.
     */
    static String one(String text) {
        return text == null ? null : Clean.text(text, FIELD_CHARS).replace('\n', ' ').replace('\t', ' ');
    }

    /** The same counts, their names cleaned; two names that clean alike are added up. */
    private static Map<String, Integer> clean(Map<String, Integer> counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.merge(one(k), v, Integer::sum));
        return out;
    }

    private void line(String text) {
        // A last guard for a field added later without one(): whatever it holds still cannot act on the terminal.
        out.append(Clean.text(text, text.length())).append('\n');
    }
}
