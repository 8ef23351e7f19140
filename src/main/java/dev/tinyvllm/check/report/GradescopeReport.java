package dev.tinyvllm.check.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradescope's results.json: one point per check that ran. A skipped check is listed with its reason
 * and worth nothing either way: it is not a pass, and the student cannot make it run.
 */
public final class GradescopeReport {

    private GradescopeReport() {}

    public static String render(StepReport report) {
        List<Map<String, Object>> tests = new ArrayList<>();
        double score = 0;
        double max = 0;
        for (CheckResult c : report.checks()) {
            score += points(c);
            max += worth(c);
            tests.add(test(c, c.id()));
        }
        return json(score, max, TextReport.summary(report) + (report.isolation() == null ? ""
                : "\nYour code ran isolated by " + TextReport.isolation(report.isolation()) + "."), tests);
    }

    /**
     * One results.json for several steps graded together (an autograder's assignment): a test per check of
     * every step, named with its step, and an output that starts with {@code preface} and then gives each
     * step's summary with the isolation its code ran in.
     */
    public static String render(List<StepReport> reports, String preface) {
        List<Map<String, Object>> tests = new ArrayList<>();
        double score = 0;
        double max = 0;
        StringBuilder output = new StringBuilder(preface);
        for (StepReport original : reports) {
            StepReport report = original.cleaned();
            output.append('\n').append(report.step()).append(" - ").append(report.title()).append('\n')
                    .append("  ").append(TextReport.summary(report)).append('\n');
            if (report.isolation() != null) {
                output.append("  isolation: ").append(report.isolation().sandbox()).append(" (")
                        .append(report.isolation().description()).append(")\n");
            }
            for (CheckResult c : report.checks()) {
                score += points(c);
                max += worth(c);
                tests.add(test(c, report.step() + ": " + c.id()));
            }
        }
        return json(score, max, output.toString(), tests);
    }

    private static double points(CheckResult c) {
        return c.status() == Outcome.PASS ? 1 : 0;
    }

    private static double worth(CheckResult c) {
        return c.status() == Outcome.SKIPPED ? 0 : 1;
    }

    private static Map<String, Object> test(CheckResult c, String name) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("name", name);
        test.put("score", points(c));
        test.put("max_score", worth(c));
        test.put("status", c.status() == Outcome.PASS ? "passed" : "failed");
        test.put("output", TextReport.detail(c));
        test.put("tags", c.tags());
        test.put("visibility", "visible");
        return test;
    }

    private static String json(double score, double max, String output, List<Map<String, Object>> tests) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("score", score);
        root.put("max_score", max);
        root.put("output", output);
        root.put("visibility", "visible");
        root.put("stdout_visibility", "hidden");
        root.put("tests", tests);
        try {
            return JsonReport.JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
