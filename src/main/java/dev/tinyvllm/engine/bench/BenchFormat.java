package dev.tinyvllm.engine.bench;

/** What {@code tutor engine bench --format} writes. */
public enum BenchFormat {
    TEXT,
    JSON;

    public String render(EngineBench.Report report) {
        return switch (this) {
            case TEXT -> BenchReports.text(report);
            case JSON -> BenchReports.json(report) + "\n";
        };
    }
}
