package dev.tinyvllm.review;

import static dev.tinyvllm.review.Figures.count;
import static dev.tinyvllm.review.Figures.duration;
import static dev.tinyvllm.review.Figures.offset;
import static dev.tinyvllm.review.Figures.percent;
import static dev.tinyvllm.review.Figures.plural;

import dev.tinyvllm.review.ClassReview.StepSummary;
import dev.tinyvllm.review.ClassReview.StudentProgress;
import dev.tinyvllm.review.ClassReview.TagCount;
import dev.tinyvllm.review.SessionReview.Mark;
import dev.tinyvllm.review.SessionReview.StepActivity;
import dev.tinyvllm.text.Clean;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The review as one self-contained HTML file: inline CSS, inline SVG charts, no script and nothing
 * fetched, so it opens from a disk, an e-mail or a course site alike. Hovering a chart's mark shows
 * its text (SVG titles, no script).
 */
final class HtmlReport {

    /** Sessions beyond this many start folded, so a class's report opens quickly. */
    static final int OPEN_SESSIONS = 10;

    static final String PASS = "#2e7d32";
    static final String FAIL = "#c62828";
    static final String NOT_IMPLEMENTED = "#9e9e9e";
    static final String COMPILE_ERROR = "#ef6c00";
    static final String OTHER_STATUS = "#6d4c41";
    static final String TUTOR_QUESTION = "#1e63c4";
    static final String TUTOR_STATEMENT = "#8e24aa";
    static final String FLAGGED = "#d50000";
    static final String STUDENT = "#546e7a";
    static final String ANSWER_REQUEST = "#d81b60";
    static final String GUARD = "#f29b00";
    static final String HINT = "#00897b";
    static final String ERROR = "#212121";
    static final String MEDIAN = "#263238";
    private static final String[] STEP_BANDS = {"#e3f2fd", "#f3e5f5", "#e8f5e9", "#fff3e0", "#e0f7fa", "#fce4ec"};

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(64 * 1024);

    private HtmlReport() {}

    static String render(Review review) {
        HtmlReport r = new HtmlReport();
        r.page(review);
        return r.out.toString();
    }

    private void page(Review review) {
        ClassReview c = review.summary();
        ClassReview.Totals t = c.totals();
        a("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        a("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        a("<title>").e("Tutoring review: " + plural(t.sessions(), "session", "sessions")).a("</title>\n");
        a("<style>\n").a(CSS).a("</style>\n</head>\n<body>\n<main>\n");
        a("<header><h1>Tutoring review</h1><p class=\"sub\">")
                .e(plural(t.sessions(), "session", "sessions") + " by " + plural(t.students(), "student", "students") + " · "
                        + plural(review.inputs().size(), "file", "files") + " read")
                .a("</p></header>\n");
        cards(review);
        stepsTable(c);
        attemptsChart(c);
        tagsChart(c);
        leakTable(review);
        asked(c);
        sessions(review);
        files(review);
        a("</main>\n</body>\n</html>\n");
    }

    // ---------------------------------------------------------------- overview

    private void cards(Review review) {
        ClassReview.Totals t = review.summary().totals();
        long notReviewed = review.inputs().stream().filter(i -> !i.reviewed()).count();
        a("<section id=\"overview\" class=\"cards\">\n");
        card("Sessions", String.valueOf(t.sessions()), null);
        card("Students", String.valueOf(t.students()), null);
        card("Time in sessions", duration(t.durationMs()), null);
        card("Checks run", String.valueOf(t.checks()), null);
        card("Tutor messages asking a question", percent(t.questionShare()),
                t.askedQuestion() + " of " + t.tutorMessages());
        card("Guard interventions", String.valueOf(t.guardInterventions()), t.fallbacks() + " fell back to the offline tutor");
        card("Flagged tutor messages", String.valueOf(t.flaggedMessages()), "code or reference overlap that was shown",
                t.flaggedMessages() > 0 ? "alert" : null);
        card("Answer requests", String.valueOf(t.answerRequests()), null);
        card("Errors", String.valueOf(t.errors()), null);
        if (notReviewed > 0) {
            card("Files not reviewed", String.valueOf(notReviewed), "listed at the end", "alert");
        }
        a("</section>\n");
    }

    private void card(String label, String value, String note) {
        card(label, value, note, null);
    }

    private void card(String label, String value, String note, String cls) {
        a("<div class=\"card").a(cls == null ? "" : " " + cls).a("\"><div class=\"value\">").e(value)
                .a("</div><div class=\"label\">").e(label).a("</div>");
        if (note != null) {
            a("<div class=\"note\">").e(note).a("</div>");
        }
        a("</div>\n");
    }

    private void stepsTable(ClassReview c) {
        a("<section id=\"steps\"><h2>Steps</h2>\n");
        if (c.steps().isEmpty()) {
            a("<p class=\"empty\">No step was touched.</p></section>\n");
            return;
        }
        a("<table class=\"steps\"><thead><tr><th>step</th><th>students</th><th>passed</th><th>median attempts</th>"
                + "<th>median time to pass</th><th>checks</th><th title=\"students whose highest hint level was 0, 1, 2\">"
                + "hint levels 0/1/2</th><th>/hint</th><th>answer requests</th><th>tags seen most</th></tr></thead><tbody>\n");
        for (StepSummary s : c.steps()) {
            a("<tr><td class=\"step\">").e(s.step()).a("</td><td class=\"num\">").a(s.students())
                    .a("</td><td class=\"num\">").a(s.studentsPassed())
                    .a("</td><td class=\"num\">").e(count(s.medianAttempts()))
                    .a("</td><td class=\"num\">").e(s.medianTimeToPassMs() == null ? "-" : duration(s.medianTimeToPassMs()))
                    .a("</td><td class=\"num\">").a(s.checks())
                    .a("</td><td class=\"num\">")
                    .e(s.studentsAtHintLevel().stream().map(String::valueOf).collect(Collectors.joining("/")))
                    .a("</td><td class=\"num\">").a(s.hintRequests())
                    .a("</td><td class=\"num\">").a(s.answerRequests()).a("</td><td>");
            s.tags().stream().limit(3).forEach(tag -> a("<span class=\"tag\" title=\"")
                    .e(plural(tag.students(), "student", "students") + ", " + plural(tag.runs(), "failing run", "failing runs"))
                    .a("\">").e(tag.tag()).a(" ").a(tag.students()).a("</span> "));
            a("</td></tr>\n");
        }
        a("</tbody></table></section>\n");
    }

    // ---------------------------------------------------------------- attempts to pass

    private void attemptsChart(ClassReview c) {
        List<StepSummary> steps = c.steps().stream().filter(s -> s.checks() > 0).toList();
        a("<section id=\"attempts\"><h2>Attempts to pass, per step</h2>\n");
        if (steps.isEmpty()) {
            a("<p class=\"empty\">No check was run.</p></section>\n");
            return;
        }
        a("<p class=\"explain\">One dot per student: check runs up to the first PASS (filled), or so far without one (hollow). "
                + "The dark bar is the median of the students who passed.</p>\n");
        int maxAttempts = 1;
        for (StepSummary s : steps) {
            for (StudentProgress p : s.progress()) {
                maxAttempts = Math.max(maxAttempts, p.attempts());
            }
        }
        int left = 190;
        int plot = 560;
        int right = 190;
        int width = left + plot + right;
        // One attempt of room past the largest, so no dot sits on the edge of the plot.
        int scaleMax = maxAttempts + 1;
        double perAttempt = (double) plot / scaleMax;
        List<Integer> rowHeights = new ArrayList<>();
        for (StepSummary s : steps) {
            Map<String, Integer> stacks = new HashMap<>();
            int tallest = 1;
            for (StudentProgress p : s.progress()) {
                tallest = Math.max(tallest, stacks.merge(String.valueOf(p.attempts()), 1, Integer::sum));
            }
            rowHeights.add(Math.max(34, 12 + tallest * 10));
        }
        int top = 10;
        int axis = 30;
        int height = top + rowHeights.stream().mapToInt(Integer::intValue).sum() + axis;
        a("<svg class=\"chart attempts-chart\" role=\"img\" aria-label=\"attempts to pass per step\" viewBox=\"0 0 ")
                .a(width).a(" ").a(height).a("\" width=\"").a(width).a("\" height=\"").a(height)
                .a("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        int tick = niceStep(scaleMax, 10);
        int axisY = height - axis;
        for (int v = 0; v <= scaleMax; v += tick) {
            double x = left + v * perAttempt;
            a("<line x1=\"").n(x).a("\" y1=\"").a(top).a("\" x2=\"").n(x).a("\" y2=\"").a(axisY)
                    .a("\" stroke=\"#e0e0e0\"/>");
            a("<text x=\"").n(x).a("\" y=\"").a(axisY + 16).a("\" class=\"axis\" text-anchor=\"middle\">").a(v).a("</text>\n");
        }
        a("<text x=\"").a(left + plot / 2).a("\" y=\"").a(height - 2)
                .a("\" class=\"axis\" text-anchor=\"middle\">check runs until the first PASS</text>\n");
        int y = top;
        for (int i = 0; i < steps.size(); i++) {
            StepSummary s = steps.get(i);
            int h = rowHeights.get(i);
            int mid = y + h / 2;
            if (i % 2 == 0) {
                a("<rect x=\"0\" y=\"").a(y).a("\" width=\"").a(width).a("\" height=\"").a(h).a("\" fill=\"#f7f9fb\"/>\n");
            }
            a("<text x=\"").a(left - 10).a("\" y=\"").a(mid + 4).a("\" text-anchor=\"end\" class=\"label\">")
                    .e(s.step()).a("</text>\n");
            if (s.medianAttempts() != null) {
                double mx = left + s.medianAttempts() * perAttempt;
                a("<rect class=\"median\" x=\"").n(mx - 2).a("\" y=\"").a(y + 4).a("\" width=\"4\" height=\"").a(h - 8)
                        .a("\" fill=\"").a(MEDIAN).a("\"><title>").e(s.step() + ": median " + count(s.medianAttempts())
                                + " attempts over " + plural(s.studentsPassed(), "student", "students") + " who passed")
                        .a("</title></rect>\n");
            }
            Map<String, Integer> stacked = new HashMap<>();
            List<StudentProgress> progress = new ArrayList<>(s.progress());
            progress.sort(Comparator.comparing((StudentProgress p) -> !p.passed()).thenComparing(StudentProgress::student));
            for (StudentProgress p : progress) {
                int index = stacked.merge(String.valueOf(p.attempts()), 1, Integer::sum) - 1;
                int n = stacksOf(s.progress(), p);
                double cy = mid + (index - (n - 1) / 2.0) * 10;
                double cx = left + p.attempts() * perAttempt;
                a("<circle class=\"").a(p.passed() ? "passed" : "not-passed").a("\" cx=\"").n(cx).a("\" cy=\"").n(cy)
                        .a("\" r=\"4.5\" fill=\"").a(p.passed() ? PASS : "#ffffff").a("\" stroke=\"")
                        .a(p.passed() ? PASS : FAIL).a("\" stroke-width=\"1.6\"><title>")
                        .e(p.student() + ": " + (p.passed()
                                ? "passed after " + plural(p.attempts(), "attempt", "attempts") + ", " + duration(p.timeMs()) + " on the step"
                                : "not passed, " + plural(p.attempts(), "attempt", "attempts") + " so far, " + duration(p.timeMs())))
                        .a("</title></circle>\n");
            }
            a("<text x=\"").a(left + plot + 14).a("\" y=\"").a(mid + 4).a("\" class=\"label\">")
                    .e(s.studentsPassed() + "/" + s.students() + " passed"
                            + (s.medianAttempts() == null ? "" : ", median " + count(s.medianAttempts())))
                    .a("</text>\n");
            y += h;
        }
        a("<line x1=\"").a(left).a("\" y1=\"").a(axisY).a("\" x2=\"").a(left + plot).a("\" y2=\"").a(axisY)
                .a("\" stroke=\"#90a4ae\"/>\n");
        a("</svg>\n</section>\n");
    }

    private static int stacksOf(List<StudentProgress> all, StudentProgress p) {
        int n = 0;
        for (StudentProgress q : all) {
            if (q.attempts() == p.attempts()) {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- tags

    private void tagsChart(ClassReview c) {
        record Row(String step, TagCount tag) {}
        List<Row> rows = new ArrayList<>();
        c.steps().forEach(s -> s.tags().forEach(t -> rows.add(new Row(s.step(), t))));
        if (rows.isEmpty()) {
            return;
        }
        rows.sort(Comparator.comparingInt((Row r) -> r.tag().students()).reversed()
                .thenComparing(Comparator.comparingInt((Row r) -> r.tag().runs()).reversed()));
        List<Row> shown = rows.subList(0, Math.min(12, rows.size()));
        int maxStudents = shown.stream().mapToInt(r -> r.tag().students()).max().orElse(1);
        int left = 330;
        int plot = 420;
        int width = left + plot + 150;
        int rowH = 24;
        int height = shown.size() * rowH + 8;
        a("<section id=\"tags\"><h2>Misconceptions seen most</h2>\n");
        a("<p class=\"explain\">Diagnosis tags of failing checks: how many students met each, and in how many check runs.</p>\n");
        a("<svg class=\"chart tags-chart\" role=\"img\" aria-label=\"diagnosis tags\" viewBox=\"0 0 ").a(width).a(" ")
                .a(height).a("\" width=\"").a(width).a("\" height=\"").a(height).a("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        for (int i = 0; i < shown.size(); i++) {
            Row r = shown.get(i);
            int y = 4 + i * rowH;
            double w = Math.max(2, (double) plot * r.tag().students() / maxStudents);
            a("<text x=\"").a(left - 10).a("\" y=\"").a(y + 15).a("\" text-anchor=\"end\" class=\"label\">")
                    .e(r.tag().tag()).a(" <tspan class=\"muted\">").e(r.step()).a("</tspan></text>");
            a("<rect class=\"bar\" x=\"").a(left).a("\" y=\"").a(y + 3).a("\" width=\"").n(w).a("\" height=\"16\" fill=\"")
                    .a(FAIL).a("\" opacity=\"0.85\"><title>").e(r.tag().tag() + ": " + plural(r.tag().students(), "student", "students")
                            + ", " + plural(r.tag().runs(), "failing run", "failing runs")).a("</title></rect>");
            a("<text x=\"").n(left + w + 8).a("\" y=\"").a(y + 15).a("\" class=\"label\">")
                    .e(plural(r.tag().students(), "student", "students") + ", " + plural(r.tag().runs(), "run", "runs"))
                    .a("</text>\n");
        }
        a("</svg>\n</section>\n");
    }

    // ---------------------------------------------------------------- leaks and guard

    private void leakTable(Review review) {
        a("<section id=\"leaks\"><h2>Leaks and guard interventions</h2>\n");
        a("<p class=\"explain\"><b>Shown</b>: a message the student saw in which this review finds code or text of the "
                + "step's reference solution (listed first). <b>Stopped</b>: the guard caught a message before the student "
                + "saw it.</p>\n");
        StringBuilder shown = new StringBuilder();
        StringBuilder stopped = new StringBuilder();
        HtmlReport row = new HtmlReport();
        for (SessionReview s : review.sessions()) {
            for (SessionReview.FlaggedMessage f : s.flagged()) {
                row.out.setLength(0);
                row.leakRow("shown", s, f.atMs(), f.step(), f.kind(), f.detail(), f.excerpt());
                shown.append(row.out);
            }
            for (SessionReview.GuardEvent g : s.guard()) {
                row.out.setLength(0);
                row.leakRow("stopped", s, g.atMs(), g.step(), g.reason() + " → " + g.action() + " (attempt " + g.attempt() + ")",
                        g.detail(), g.excerpt());
                stopped.append(row.out);
            }
        }
        if (shown.length() == 0 && stopped.length() == 0) {
            a("<p class=\"empty\">None: the guard stopped no message, and no message shown holds code or reference text.</p>\n");
        } else {
            a("<table class=\"leak-table\"><thead><tr><th>at</th><th>student · session</th><th>step</th><th>what</th>"
                    + "<th>excerpt</th></tr></thead><tbody>\n").a(shown.toString()).a(stopped.toString()).a("</tbody></table>\n");
        }
        a("</section>\n");
    }

    private void leakRow(String cls, SessionReview s, long atMs, String step, String what, String detail, String excerpt) {
        a("<tr class=\"").a(cls).a("\"><td class=\"num\">").e(offset(atMs)).a("</td><td>").e(s.student())
                .a("<br><a class=\"muted\" href=\"#session-").e(s.session()).a("\">").e(s.session()).a("</a></td><td class=\"step\">")
                .e(String.valueOf(step)).a("</td><td><span class=\"pill ").a(cls).a("\">").a(cls).a("</span> ").e(what)
                .a("</td><td>");
        if (detail != null && !detail.isBlank()) {
            a("<div class=\"detail\">").e(detail).a("</div>");
        }
        excerpt(excerpt);
        a("</td></tr>\n");
    }

    private void excerpt(String text) {
        if (text != null && !text.isBlank()) {
            a("<pre class=\"excerpt\">").e(text).a("</pre>");
        }
    }

    // ---------------------------------------------------------------- what students asked

    private void asked(ClassReview c) {
        if (c.answerRequests().isEmpty() && c.questions().isEmpty()) {
            return;
        }
        a("<section id=\"asked\"><h2>What students asked</h2><div class=\"two\">\n");
        a("<div><h3>Steps where students asked for the answer most</h3>");
        if (c.answerRequests().isEmpty()) {
            a("<p class=\"empty\">Nobody asked for the answer.</p>");
        } else {
            a("<table><thead><tr><th>step</th><th>requests</th><th>students</th></tr></thead><tbody>");
            c.answerRequests().stream().limit(10).forEach(r -> a("<tr><td class=\"step\">").e(r.step())
                    .a("</td><td class=\"num\">").a(r.requests()).a("</td><td class=\"num\">").a(r.students()).a("</td></tr>"));
            a("</tbody></table>");
        }
        a("</div>\n<div><h3>Questions asked most</h3>");
        if (c.questions().isEmpty()) {
            a("<p class=\"empty\">No questions.</p>");
        } else {
            a("<table><thead><tr><th>question</th><th>times</th><th>students</th></tr></thead><tbody>");
            c.questions().stream().limit(10).forEach(q -> a("<tr><td>").e(q.text()).a("</td><td class=\"num\">").a(q.count())
                    .a("</td><td class=\"num\">").a(q.students()).a("</td></tr>"));
            a("</tbody></table>");
        }
        a("</div>\n</div></section>\n");
    }

    // ---------------------------------------------------------------- sessions

    private void sessions(Review review) {
        a("<section id=\"sessions\"><h2>Sessions</h2>\n");
        legend();
        int i = 0;
        for (SessionReview s : review.sessions()) {
            session(s, i++ < OPEN_SESSIONS);
        }
        a("</section>\n");
    }

    private void legend() {
        a("<div class=\"legend\">");
        legendItem("<circle cx=\"7\" cy=\"7\" r=\"4.5\" fill=\"" + TUTOR_QUESTION + "\"/>", "tutor asked a question");
        legendItem("<circle cx=\"7\" cy=\"7\" r=\"4\" fill=\"#fff\" stroke=\"" + TUTOR_STATEMENT + "\" stroke-width=\"2\"/>",
                "tutor asked none");
        legendItem("<circle cx=\"7\" cy=\"7\" r=\"5\" fill=\"" + FLAGGED + "\"/>", "tutor message flagged");
        legendItem("<circle cx=\"7\" cy=\"7\" r=\"3.5\" fill=\"" + STUDENT + "\"/>", "student");
        legendItem("<path d=\"M7 1 L13 7 L7 13 L1 7 Z\" fill=\"" + ANSWER_REQUEST + "\"/>", "asked for the answer");
        legendItem("<rect x=\"3\" y=\"1\" width=\"8\" height=\"12\" fill=\"" + PASS + "\"/>", "PASS");
        legendItem("<rect x=\"3\" y=\"1\" width=\"8\" height=\"12\" fill=\"" + FAIL + "\"/>", "FAIL");
        legendItem("<rect x=\"3\" y=\"1\" width=\"8\" height=\"12\" fill=\"" + COMPILE_ERROR + "\"/>", "COMPILE_ERROR");
        legendItem("<rect x=\"3\" y=\"1\" width=\"8\" height=\"12\" fill=\"" + NOT_IMPLEMENTED + "\"/>", "NOT_IMPLEMENTED");
        legendItem("<path d=\"M7 1 L13 13 L1 13 Z\" fill=\"" + GUARD + "\"/>", "guard stopped a message");
        legendItem("<path d=\"M2 12 L7 3 L12 12\" fill=\"none\" stroke=\"" + HINT + "\" stroke-width=\"2.5\"/>", "hint level");
        legendItem("<path d=\"M2 2 L12 12 M12 2 L2 12\" stroke=\"" + ERROR + "\" stroke-width=\"2.5\"/>", "error");
        a("</div>\n");
    }

    private void legendItem(String shape, String label) {
        a("<span><svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" xmlns=\"http://www.w3.org/2000/svg\">").a(shape)
                .a("</svg>").e(label).a("</span>");
    }

    private void session(SessionReview s, boolean open) {
        a("<details class=\"session\" id=\"session-").e(s.session()).a("\"").a(open ? " open" : "").a(">\n<summary><b>")
                .e(s.student()).a("</b> · ").e(WHEN.format(s.start())).a(" · ").e(duration(s.durationMs())).a(" · ")
                .e(String.join(", ", s.steps()));
        long passes = s.stepActivity().stream().filter(x -> x.firstPassAtMs() != null).count();
        if (passes > 0) {
            a(" <span class=\"pill pass\">PASS</span>");
        }
        if (!s.flagged().isEmpty()) {
            a(" <span class=\"pill shown\">flagged</span>");
        }
        if (s.endReason() == null) {
            a(" <span class=\"pill cut\">cut off</span>");
        }
        a("</summary>\n<div class=\"meta\">session ").e(s.session()).a(" · ")
                .e((s.mode() == null ? "mode unknown" : s.mode()) + (s.model() == null ? "" : " (" + s.model() + ")"))
                .a(" · ").e(s.endReason() == null ? "no session_end: cut off" : "ended: " + s.endReason())
                .a(" · <span class=\"muted\">").e(s.file()).a("</span></div>\n");
        timeline(s);
        a("<table class=\"session-steps\"><thead><tr><th>step</th><th>checks</th><th>first PASS</th><th>attempts to pass</th>"
                + "<th>time on step</th><th>hint level</th><th>/hint</th><th>answer requests</th><th>tags</th></tr></thead><tbody>");
        for (StepActivity x : s.stepActivity()) {
            a("<tr><td class=\"step\">").e(x.step()).a("</td><td class=\"num\">").a(x.checks()).a("</td><td class=\"num\">")
                    .e(x.firstPassAtMs() == null ? "-" : offset(x.firstPassAtMs())).a("</td><td class=\"num\">")
                    .e(x.attemptsToPass() == null ? "-" : String.valueOf(x.attemptsToPass())).a("</td><td class=\"num\">")
                    .e(duration(x.activeMs())).a("</td><td class=\"num\">")
                    .e(x.maxHintLevel() == null ? "-" : String.valueOf(x.maxHintLevel())).a("</td><td class=\"num\">")
                    .a(x.hintRequests()).a("</td><td class=\"num\">").a(x.answerRequests()).a("</td><td>")
                    .e(x.tags().entrySet().stream().map(t -> t.getKey() + " ×" + t.getValue()).collect(Collectors.joining(", ")))
                    .a("</td></tr>");
        }
        a("</tbody></table>\n<p>");
        SessionReview.TutorMessages t = s.tutor();
        a("Tutor: ").e(plural(t.messages(), "message", "messages") + ", " + t.askedQuestion() + " asked a question ("
                + percent(t.questionShare()) + "); llm " + t.fromLlm() + ", offline " + t.fromOffline()
                + (t.medianFirstTokenMs() == null ? "" : "; median first token " + duration(t.medianFirstTokenMs())));
        if (!s.commands().isEmpty()) {
            a(" · Commands: ").e(Figures.counts(s.commands()));
        }
        if (!s.toolCalls().isEmpty()) {
            a(" · Tool calls: ").e(Figures.counts(s.toolCalls()));
        }
        a("</p>\n");
        if (!s.questions().isEmpty()) {
            a("<p>The student asked most: ");
            a(s.questions().stream().limit(TextReport.TOP).map(q -> esc(q.count() + "× " + q.text())).collect(Collectors.joining(" · ")));
            a("</p>\n");
        }
        if (!s.errors().isEmpty()) {
            a("<ul class=\"errors\">");
            s.errors().forEach(e -> a("<li>").e(offset(e.atMs()) + " " + e.source() + ": " + e.message()
                    + (e.recovery() == null ? "" : " → " + e.recovery())).a("</li>"));
            a("</ul>\n");
        }
        if (!s.problems().isEmpty()) {
            a("<ul class=\"problems\">");
            s.problems().forEach(p -> a("<li>").e(p).a("</li>"));
            a("</ul>\n");
        }
        a("</details>\n");
    }

    /** Lanes top to bottom; a lane with nothing in it is left out, except the first three. */
    private static final List<String> LANES = List.of("student", "tutor", "check", "guard", "hint", "error");

    private void timeline(SessionReview s) {
        List<String> lanes = new ArrayList<>();
        for (String lane : LANES) {
            if (LANES.indexOf(lane) < 3 || s.timeline().stream().anyMatch(m -> m.lane().equals(lane))) {
                lanes.add(lane);
            }
        }
        long span = Math.max(1000, s.durationMs());
        for (Mark m : s.timeline()) {
            span = Math.max(span, m.atMs());
        }
        int left = 70;
        int plot = 860;
        int width = left + plot + 20;
        int laneH = 22;
        int bandH = 18;
        int top = 4;
        int lanesTop = top + bandH + 4;
        int axisY = lanesTop + lanes.size() * laneH;
        int height = axisY + 24;
        double perMs = (double) plot / span;
        a("<svg class=\"timeline\" role=\"img\" aria-label=\"timeline of the session\" viewBox=\"0 0 ").a(width).a(" ")
                .a(height).a("\" width=\"").a(width).a("\" height=\"").a(height).a("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        stepBands(s, left, top, bandH, perMs, span);
        for (int i = 0; i < lanes.size(); i++) {
            int y = lanesTop + i * laneH;
            a("<text x=\"").a(left - 8).a("\" y=\"").a(y + 15).a("\" text-anchor=\"end\" class=\"lane\">").e(lanes.get(i))
                    .a("</text><line x1=\"").a(left).a("\" y1=\"").a(y + laneH / 2).a("\" x2=\"").a(left + plot).a("\" y2=\"")
                    .a(y + laneH / 2).a("\" stroke=\"#eceff1\"/>\n");
        }
        long tick = niceTimeStep(span);
        for (long v = 0; v <= span; v += tick) {
            double x = left + v * perMs;
            a("<line x1=\"").n(x).a("\" y1=\"").a(axisY).a("\" x2=\"").n(x).a("\" y2=\"").a(axisY + 4)
                    .a("\" stroke=\"#90a4ae\"/><text x=\"").n(x).a("\" y=\"").a(axisY + 16)
                    .a("\" text-anchor=\"middle\" class=\"axis\">").e(offset(v)).a("</text>");
        }
        a("<line x1=\"").a(left).a("\" y1=\"").a(axisY).a("\" x2=\"").a(left + plot).a("\" y2=\"").a(axisY)
                .a("\" stroke=\"#90a4ae\"/>\n");
        for (Mark m : s.timeline()) {
            int lane = lanes.indexOf(m.lane());
            if (lane < 0) {
                continue;
            }
            double x = left + m.atMs() * perMs;
            double y = lanesTop + lane * laneH + laneH / 2.0;
            mark(m, x, y);
        }
        a("</svg>\n");
    }

    private void stepBands(SessionReview s, int left, int top, int bandH, double perMs, long span) {
        Map<String, String> colors = new HashMap<>();
        for (String step : s.steps()) {
            colors.put(step, STEP_BANDS[colors.size() % STEP_BANDS.length]);
        }
        // Segments of the current step: each mark carries the step that was current at its moment.
        String step = null;
        long from = 0;
        List<long[]> cuts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Mark m : s.timeline()) {
            if (m.step() != null && !m.step().equals(step)) {
                if (step != null) {
                    cuts.add(new long[] {from, m.atMs()});
                    names.add(step);
                    from = m.atMs();
                }
                step = m.step();
            }
        }
        if (step == null && !s.steps().isEmpty()) {
            step = s.steps().get(0);
        }
        if (step != null) {
            cuts.add(new long[] {from, span});
            names.add(step);
        }
        for (int i = 0; i < cuts.size(); i++) {
            double x = left + cuts.get(i)[0] * perMs;
            double w = Math.max(1, (cuts.get(i)[1] - cuts.get(i)[0]) * perMs);
            a("<g class=\"step-band\"><rect x=\"").n(x).a("\" y=\"").a(top).a("\" width=\"").n(w).a("\" height=\"").a(bandH)
                    .a("\" fill=\"").a(colors.getOrDefault(names.get(i), STEP_BANDS[0])).a("\"><title>").e(names.get(i))
                    .a("</title></rect>");
            if (w > 8 * names.get(i).length()) {
                a("<text x=\"").n(x + 6).a("\" y=\"").a(top + 13).a("\" class=\"band\">").e(names.get(i)).a("</text>");
            }
            a("</g>\n");
        }
    }

    private void mark(Mark m, double x, double y) {
        String title = "<title>" + esc(offset(m.atMs()) + " " + m.label()) + "</title>";
        String cls = "mark " + classToken(m.lane()) + " " + classToken(m.kind());
        switch (m.lane()) {
            case "student" -> {
                if (m.kind().equals("answer_request")) {
                    a("<path class=\"").a(cls).a("\" d=\"").a(diamond(x, y, 6)).a("\" fill=\"").a(ANSWER_REQUEST).a("\">")
                            .a(title).a("</path>\n");
                } else if (m.kind().equals("command")) {
                    a("<rect class=\"").a(cls).a("\" x=\"").n(x - 3).a("\" y=\"").n(y - 3).a("\" width=\"6\" height=\"6\" fill=\"")
                            .a(STUDENT).a("\">").a(title).a("</rect>\n");
                } else {
                    a("<circle class=\"").a(cls).a("\" cx=\"").n(x).a("\" cy=\"").n(y).a("\" r=\"3.5\" fill=\"").a(STUDENT).a("\">")
                            .a(title).a("</circle>\n");
                }
            }
            case "tutor" -> {
                if (m.kind().equals("flagged")) {
                    a("<circle class=\"").a(cls).a("\" cx=\"").n(x).a("\" cy=\"").n(y).a("\" r=\"6\" fill=\"").a(FLAGGED).a("\">")
                            .a(title).a("</circle>\n");
                } else if (m.kind().equals("question")) {
                    a("<circle class=\"").a(cls).a("\" cx=\"").n(x).a("\" cy=\"").n(y).a("\" r=\"4.5\" fill=\"").a(TUTOR_QUESTION)
                            .a("\">").a(title).a("</circle>\n");
                } else {
                    a("<circle class=\"").a(cls).a("\" cx=\"").n(x).a("\" cy=\"").n(y).a("\" r=\"4\" fill=\"#ffffff\" stroke=\"")
                            .a(TUTOR_STATEMENT).a("\" stroke-width=\"2\">").a(title).a("</circle>\n");
                }
            }
            case "check" -> a("<rect class=\"").a(cls).a("\" x=\"").n(x - 4).a("\" y=\"").n(y - 7)
                    .a("\" width=\"8\" height=\"14\" fill=\"").a(statusColor(m.kind())).a("\">").a(title).a("</rect>\n");
            case "guard" -> a("<path class=\"").a(cls).a("\" d=\"").a(triangle(x, y, 7)).a("\" fill=\"").a(GUARD).a("\">")
                    .a(title).a("</path>\n");
            case "hint" -> a("<path class=\"").a(cls).a("\" d=\"M").n(x - 5).a(" ").n(y + 5).a(" L").n(x).a(" ").n(y - 5)
                    .a(" L").n(x + 5).a(" ").n(y + 5).a("\" fill=\"none\" stroke=\"").a(HINT).a("\" stroke-width=\"2.5\">")
                    .a(title).a("</path>\n");
            default -> a("<path class=\"").a(cls).a("\" d=\"M").n(x - 5).a(" ").n(y - 5).a(" L").n(x + 5).a(" ").n(y + 5)
                    .a(" M").n(x + 5).a(" ").n(y - 5).a(" L").n(x - 5).a(" ").n(y + 5).a("\" stroke=\"").a(ERROR)
                    .a("\" stroke-width=\"2.5\">").a(title).a("</path>\n");
        }
    }

    /** A transcript's word as a CSS class: lower case, letters, digits and dashes only (it is not trusted). */
    static String classToken(String word) {
        StringBuilder b = new StringBuilder(word.length());
        for (char c : word.toLowerCase(Locale.ROOT).toCharArray()) {
            b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
        }
        return b.toString();
    }

    static String statusColor(String status) {
        return switch (status) {
            case "PASS" -> PASS;
            case "FAIL" -> FAIL;
            case "NOT_IMPLEMENTED" -> NOT_IMPLEMENTED;
            case "COMPILE_ERROR" -> COMPILE_ERROR;
            default -> OTHER_STATUS;
        };
    }

    private static String diamond(double x, double y, double r) {
        return "M" + f(x) + " " + f(y - r) + " L" + f(x + r) + " " + f(y) + " L" + f(x) + " " + f(y + r) + " L" + f(x - r) + " " + f(y) + " Z";
    }

    private static String triangle(double x, double y, double r) {
        return "M" + f(x) + " " + f(y - r) + " L" + f(x + r) + " " + f(y + r * 0.8) + " L" + f(x - r) + " " + f(y + r * 0.8) + " Z";
    }

    // ---------------------------------------------------------------- files

    private void files(Review review) {
        List<Review.InputFile> withProblems = review.inputsWithProblems();
        if (withProblems.isEmpty()) {
            return;
        }
        a("<section id=\"files\"><h2>Files with problems</h2>\n<table class=\"files\"><thead><tr><th>file</th><th>status</th>"
                + "<th>problems</th></tr></thead><tbody>\n");
        for (Review.InputFile i : withProblems) {
            a("<tr class=\"").e(i.status()).a("\"><td>").e(i.file()).a("</td><td>").e(i.status()).a("</td><td><ul>");
            i.problems().forEach(p -> a("<li>").e(p).a("</li>"));
            a("</ul></td></tr>\n");
        }
        a("</tbody></table></section>\n");
    }

    // ---------------------------------------------------------------- helpers

    /** 1, 2 or 5 times a power of ten, giving at most {@code ticks} ticks up to {@code max}. */
    static int niceStep(int max, int ticks) {
        int step = 1;
        while (max / step > ticks) {
            int d = String.valueOf(step).charAt(0) - '0';
            step = d == 1 ? step * 2 : d == 2 ? step / 2 * 5 : step * 2;
        }
        return step;
    }

    /** A tick spacing in milliseconds a person reads easily: 10 s, 30 s, 1, 2, 5, 10, 15, 30 min, 1 h... */
    static long niceTimeStep(long spanMs) {
        long[] steps = {1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
            1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000};
        for (long step : steps) {
            if (spanMs / step <= 10) {
                return step;
            }
        }
        return (spanMs / 10 / 86_400_000 + 1) * 86_400_000;
    }

    /**
     * Text for an element or an attribute. Clean first: HTML forbids control characters and
     * non-characters, an escape sequence would show as litter, and a bidi override would make a line
     * of a transcript read as something else.
     */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        String clean = Clean.text(text, text.length());
        StringBuilder b = new StringBuilder(clean.length() + 16);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** One decimal, a dot whatever the locale; String.format would be most of the report's time. */
    static String f(double v) {
        long tenths = Math.round(v * 10);
        StringBuilder b = new StringBuilder(8);
        if (tenths < 0) {
            b.append('-');
            tenths = -tenths;
        }
        return b.append(tenths / 10).append('.').append(tenths % 10).toString();
    }

    private HtmlReport a(String s) {
        out.append(s);
        return this;
    }

    private HtmlReport a(int v) {
        out.append(v);
        return this;
    }

    private HtmlReport n(double v) {
        out.append(f(v));
        return this;
    }

    private HtmlReport e(String s) {
        out.append(esc(s));
        return this;
    }

    private static final String CSS = """
            :root { --ink: #1f2933; --muted: #6b7785; --line: #d9e1e8; --bg: #ffffff; --soft: #f4f7fa; }
            * { box-sizing: border-box; }
            body { margin: 0; background: var(--bg); color: var(--ink);
                   font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; }
            main { max-width: 1060px; margin: 0 auto; padding: 24px 20px 48px; }
            header h1 { margin: 0 0 2px; font-size: 24px; }
            .sub, .muted, .explain, .meta { color: var(--muted); }
            .explain { margin: 0 0 8px; }
            h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
            h3 { font-size: 14px; margin: 8px 0; }
            .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-top: 16px; }
            .card { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
            .card .value { font-size: 22px; font-weight: 650; }
            .card .label { font-size: 12px; color: var(--muted); }
            .card .note { font-size: 11px; color: var(--muted); }
            .card.alert { background: #fdecea; border-color: #f5c2bd; }
            .card.alert .value { color: #b71c1c; }
            table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
            th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
            th { font-weight: 600; color: var(--muted); font-size: 12px; background: var(--soft); }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td.step { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
            .tag { display: inline-block; background: #fdecea; color: #8e1b1b; border-radius: 4px; padding: 0 5px; margin: 1px 0;
                   font: 12px ui-monospace, "DejaVu Sans Mono", monospace; }
            .pill { display: inline-block; border-radius: 9px; padding: 0 7px; font-size: 11px; font-weight: 600; }
            .pill.stopped { background: #fff3d6; color: #8a5a00; }
            .pill.shown { background: #fdecea; color: #b71c1c; }
            .pill.pass { background: #e6f4ea; color: #1b5e20; }
            .pill.cut { background: #eceff1; color: #455a64; }
            tr.shown td { background: #fff8f7; }
            .leak-table td:last-child { width: 55%; }
            .detail { font-size: 12px; color: var(--muted); margin-bottom: 2px; }
            a.muted { text-decoration: none; }
            pre.excerpt { margin: 0; white-space: pre-wrap; word-break: break-word; background: #f6f8fa;
                   border-left: 3px solid #e57373; padding: 4px 8px; font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
            tr.stopped pre.excerpt { border-left-color: #f2b84b; }
            svg { display: block; max-width: 100%; height: auto; }
            svg text { font-family: system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; fill: var(--ink); }
            svg .axis { font-size: 11px; fill: var(--muted); }
            svg .label { font-size: 12px; }
            svg .lane { font-size: 11px; fill: var(--muted); }
            svg .band { font-size: 11px; fill: #37474f; }
            svg .muted { fill: var(--muted); font-size: 11px; }
            .chart { margin: 6px 0; }
            .two { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
            details.session { border: 1px solid var(--line); border-radius: 8px; margin: 10px 0; padding: 0 12px; }
            details.session[open] { padding-bottom: 8px; }
            details.session summary { cursor: pointer; padding: 9px 0; }
            .meta { font-size: 12px; margin-bottom: 6px; word-break: break-all; }
            .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: var(--muted); margin: 4px 0 10px; }
            .legend span { display: inline-flex; align-items: center; gap: 5px; }
            .legend svg { display: inline-block; }
            ul.errors, ul.problems { margin: 4px 0; padding-left: 20px; font-size: 13px; }
            ul.problems { color: var(--muted); }
            .empty { color: var(--muted); font-style: italic; }
            @media (max-width: 720px) { .two { grid-template-columns: 1fr; } }
            @media print { details.session { break-inside: avoid; } }
            """;
}
