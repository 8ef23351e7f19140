package dev.tinyvllm.review;

import java.util.List;

/**
 * A review of one or more transcripts: each input file with what was wrong with it, each session,
 * and the figures over all of them. Serialised as is by {@code --format json} (docs/review-report.md).
 */
public record Review(String schema, int schemaVersion, List<InputFile> inputs, List<SessionReview> sessions,
        ClassReview summary) {

    public static final String SCHEMA = "tiny-vllm-tutor/review";
    public static final int SCHEMA_VERSION = 1;

    /**
     * A file that was given or found.
     *
     * @param status {@code reviewed} (its problems, if any, are lines that were skipped or notes),
     *     {@code unreadable} (empty, not a transcript, cannot be read, missing) or {@code duplicate}
     *     (the same session as a file before it; counted once)
     */
    public record InputFile(String file, String status, List<String> problems) {

        public boolean reviewed() {
            return status.equals("reviewed");
        }
    }

    public Review(List<InputFile> inputs, List<SessionReview> sessions, ClassReview summary) {
        this(SCHEMA, SCHEMA_VERSION, List.copyOf(inputs), List.copyOf(sessions), summary);
    }

    /** Whether every file given or found could be reviewed (skipped lines and notes aside). */
    public boolean everyInputReviewed() {
        return inputs.stream().noneMatch(i -> i.status().equals("unreadable"));
    }

    /** Files that were not reviewed, or were reviewed with lines skipped or notes. */
    public List<InputFile> inputsWithProblems() {
        return inputs.stream().filter(i -> !i.problems().isEmpty()).toList();
    }
}
