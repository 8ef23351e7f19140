package dev.tinyvllm.check.report;

import dev.tinyvllm.check.StepReport;

/** The output formats of {@code tutor check}. */
public enum ReportFormat {
    TEXT, JSON, GRADESCOPE, JUNIT;

    /**
     * Renders the report; {@code color} only matters for text on a terminal. Whatever the student's code
     * printed or threw is cleaned first, so no format carries a control character or an escape sequence,
     * and the XML stays well-formed.
     */
    public String render(StepReport original, boolean color) {
        StepReport report = original.cleaned();
        return switch (this) {
            case TEXT -> TextReport.render(report, color);
            case JSON -> JsonReport.render(report);
            case GRADESCOPE -> GradescopeReport.render(report);
            case JUNIT -> JunitReport.render(report);
        };
    }
}
