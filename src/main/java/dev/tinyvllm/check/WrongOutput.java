package dev.tinyvllm.check;

import java.util.List;

/**
 * The student's result has the wrong shape or kind, so no values can be compared: the check fails with
 * this message. The check runner catches it, so bodies and helpers let it pass.
 */
public final class WrongOutput extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Tag> tags;
    private final transient List<Long> expected;
    private final transient List<Long> actual;

    public WrongOutput(String message, List<? extends Tag> tags, List<Long> expected, List<Long> actual) {
        super(message);
        this.tags = List.copyOf(tags);
        this.expected = expected;
        this.actual = actual;
    }

    public WrongOutput(String message) {
        this(message, List.of(CommonTag.SHAPE_MISMATCH), null, null);
    }

    public List<Tag> tags() {
        return tags;
    }

    public List<Long> expectedShape() {
        return expected;
    }

    public List<Long> actualShape() {
        return actual;
    }
}
