package dev.tinyvllm.check.report;

import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.check.StudentCompiler;
import java.util.Locale;

/** The report a person reads in a terminal. */
public final class TextReport {

    private static final String RESET = "\u001b[0m";

    private TextReport() {}

    public static String render(StepReport report, boolean color) {
        StringBuilder out = new StringBuilder();
        out.append(report.step()).append(report.reference() ? " (reference solution)" : "")
                .append(" - ").append(report.title()).append('\n');
        out.append(String.format(Locale.ROOT, "seed %d, tolerance %s%n", report.seed(), report.tolerance()));
        if (report.isolation() != null) {
            out.append("your code ran isolated by ").append(isolation(report.isolation())).append('\n');
        }
        if (!report.compile().ok()) {
            out.append('\n').append(paint("does not compile:", "31", color)).append('\n');
            for (StudentCompiler.Message m : report.compile().messages()) {
                out.append("  ").append(m).append('\n');
            }
        }
        String function = null;
        String lastQuestion = null;
        for (CheckResult c : report.checks()) {
            if (!report.compile().ok()) {
                break;
            }
            if (!c.function().equals(function)) {
                function = c.function();
                lastQuestion = null;
                out.append('\n').append(function).append('\n');
            }
            String name = c.id().substring(c.id().indexOf('.') + 1);
            out.append(String.format(Locale.ROOT, "  %s %-24s %s%n", paint(label(c.status()), colorOf(c.status()), color),
                    name, c.message()));
            if (!c.tags().isEmpty()) {
                out.append("       tags: ").append(String.join(", ", c.tags())).append('\n');
            }
            // One question is enough while a function's checks keep asking the same one.
            if (c.question() != null && c.status() != Outcome.PASS && c.status() != Outcome.SKIPPED
                    && !c.question().equals(lastQuestion)) {
                out.append("       ? ").append(c.question()).append('\n');
                lastQuestion = c.question();
            }
            if (c.output() != null && c.status() != Outcome.PASS) {
                out.append("       your code printed: ").append(c.output().strip().replace("\n", "\n         ")).append('\n');
            }
        }
        if (!report.compile().ok()) {
            report.checks().stream().map(CheckResult::question).filter(q -> q != null).findFirst()
                    .ifPresent(q -> out.append("\n? ").append(q).append('\n'));
        }
        out.append('\n').append(paint(summary(report), report.succeeded() ? "32" : "31", color)).append('\n');
        return out.toString();
    }

    /** The sandbox a run had, in words: its mode and what the mode means. */
    static String isolation(StepReport.Isolation isolation) {
        return isolation.sandbox() + " (" + isolation.description() + ")";
    }

    /** One line: the verdict and the counts, skipped ones apart. */
    public static String summary(StepReport r) {
        StringBuilder s = new StringBuilder(r.status()).append(": ")
                .append(r.passed()).append(" of ").append(r.total() - r.skipped()).append(" checks passed");
        if (r.failed() > 0) {
            s.append(", ").append(r.failed()).append(" failed");
        }
        if (r.notImplemented() > 0) {
            s.append(", ").append(r.notImplemented()).append(" not implemented");
        }
        if (r.errors() > 0) {
            s.append(", ").append(r.errors()).append(" errors");
        }
        if (r.skipped() > 0) {
            s.append("; ").append(r.skipped()).append(" skipped (not counted as passed)");
        }
        return s.toString();
    }

    /** A check's message with its tags, question and output, for formats that hold one text per check. */
    static String detail(CheckResult c) {
        StringBuilder s = new StringBuilder(c.status().name()).append(": ").append(c.message());
        if (!c.tags().isEmpty()) {
            s.append("\ntags: ").append(String.join(", ", c.tags()));
        }
        if (c.question() != null && c.status() != Outcome.PASS) {
            s.append("\n? ").append(c.question());
        }
        if (c.output() != null) {
            s.append("\nyour code printed:\n").append(c.output());
        }
        return s.toString();
    }

    private static String label(Outcome o) {
        return switch (o) {
            case PASS -> "PASS ";
            case FAIL -> "FAIL ";
            case NOT_IMPLEMENTED -> "TODO ";
            case ERROR -> "ERROR";
            case SKIPPED -> "SKIP ";
        };
    }

    private static String colorOf(Outcome o) {
        return switch (o) {
            case PASS -> "32";
            case FAIL, ERROR -> "31";
            case NOT_IMPLEMENTED -> "33";
            case SKIPPED -> "36";
        };
    }

    private static String paint(String text, String code, boolean color) {
        return color ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
