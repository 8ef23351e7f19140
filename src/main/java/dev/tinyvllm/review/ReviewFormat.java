package dev.tinyvllm.review;

/** What {@code tutor review --format} writes. */
public enum ReviewFormat {
    TEXT,
    JSON,
    HTML;

    public String render(Review review) {
        return switch (this) {
            case TEXT -> TextReport.render(review);
            case JSON -> JsonReport.render(review);
            case HTML -> HtmlReport.render(review);
        };
    }
}
