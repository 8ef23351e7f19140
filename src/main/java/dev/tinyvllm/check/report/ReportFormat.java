package dev.tinyvllm.check.report;

import dev.tinyvllm.check.StepReport;

/** The output formats of {@code tutor check}. */
public enum ReportFormat {
    TEXT, JSON, GRADESCOPE, JUNIT;

    /** Renders the report; {@code color} only matters for text on a terminal. */
    public String render(StepReport report, boolean color) {
        return switch (this) {
            case TEXT -> TextReport.render(report, color);
            case JSON -> JsonReport.render(report);
            case GRADESCOPE -> GradescopeReport.render(report);
            case JUNIT -> JunitReport.render(report);
        };
    }
}
