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
            boolean skipped = c.status() == Outcome.SKIPPED;
            double worth = skipped ? 0 : 1;
            double got = c.status() == Outcome.PASS ? 1 : 0;
            score += got;
            max += worth;
            Map<String, Object> test = new LinkedHashMap<>();
            test.put("name", c.id());
            test.put("score", got);
            test.put("max_score", worth);
            test.put("status", c.status() == Outcome.PASS ? "passed" : "failed");
            test.put("output", TextReport.detail(c));
            test.put("tags", c.tags());
            test.put("visibility", "visible");
            tests.add(test);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("score", score);
        root.put("max_score", max);
        root.put("output", TextReport.summary(report) + (report.isolation() == null ? ""
                : "\nYour code ran isolated by " + TextReport.isolation(report.isolation()) + "."));
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
