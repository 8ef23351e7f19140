package dev.tinyvllm.check.probes;

import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.curriculum.Tolerance;
import java.util.Locale;
import java.util.Optional;

/**
 * The invariances every step that needs them judges the same way: run the student's function, change
 * its input in one place, run it again, and read what moved. Each probe here only reads the two outputs;
 * making the changed input is the step's, since only the step knows its layout.
 *
 * <p>Written once, used by attention, grouped attention, the layers and the model (week 1), and by the
 * equivalences of weeks 2 and 3 ({@link Invariance}).
 */
public final class Probes {

    private Probes() {}

    /** Which rows (of {@code width} values each) of an output moved between two runs. */
    public static boolean[] movedRows(float[] before, float[] after, int width, Tolerance tolerance) {
        boolean[] values = Comparison.changed(before, after, tolerance);
        boolean[] rows = new boolean[values.length / width];
        for (int i = 0; i < values.length && i / width < rows.length; i++) {
            rows[i / width] |= values[i];
        }
        return rows;
    }

    /** Whether anything at all moved: the probe of inputs that must not matter (padded keys, say). */
    public static boolean anyMoved(float[] before, float[] after, Tolerance tolerance) {
        for (boolean b : Comparison.changed(before, after, tolerance)) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /**
     * What moved after the last token of each sequence changed: an earlier row two or more positions back
     * (the future is visible), the row just before (the diagonal slipped by one), and the last row itself
     * (which must move, or the token does not see itself).
     */
    public record Causality(boolean farLeak, boolean nearLeak, boolean lastMoved) {

        /** Only the changed tokens' own rows moved. */
        public boolean holds() {
            return !farLeak && !nearLeak && lastMoved;
        }
    }

    /**
     * Future tokens must not move earlier outputs.
     *
     * @param movedRows per row of the output, whether it moved ({@link #movedRows})
     * @param sequenceEnds the end (exclusive) of each sequence's rows, in order; one entry for a single sequence
     */
    public static Causality afterChangingLastTokens(boolean[] movedRows, int[] sequenceEnds) {
        boolean far = false;
        boolean near = false;
        boolean last = false;
        int start = 0;
        for (int end : sequenceEnds) {
            for (int row = start; row < end; row++) {
                if (!movedRows[row]) {
                    continue;
                }
                if (row == end - 1) {
                    last = true;
                } else if (row == end - 2) {
                    near = true;
                } else {
                    far = true;
                }
            }
            start = end;
        }
        return new Causality(far, near, last);
    }

    /**
     * Sequences of a packed batch must not move each other: after the rows of some sequences changed,
     * whether a row outside them moved.
     */
    public static boolean crossesSequences(boolean[] movedRows, boolean[] changedRows) {
        for (int row = 0; row < movedRows.length; row++) {
            if (movedRows[row] && !changedRows[row]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Heads are independent: after the input of one head changed, whether a value outside that head's
     * columns moved. Each row holds the heads side by side, {@code headDim} values each.
     */
    public static boolean crossesHeads(float[] before, float[] after, Tolerance tolerance, int width, int headDim,
            int head) {
        boolean[] moved = Comparison.changed(before, after, tolerance);
        for (int i = 0; i < moved.length; i++) {
            if (moved[i] && (i % width) / headDim != head) {
                return true;
            }
        }
        return false;
    }

    /** Two ways of computing the same values the serving steps promise agree (weeks 2 and 3). */
    public enum Invariance {
        CACHED_EQUALS_RECOMPUTED("decoding with the cache", "running the whole sequence again"),
        CHUNKED_EQUALS_WHOLE("the prompt fed in chunks", "the prompt in one pass"),
        ALONE_EQUALS_BATCHED("the sequence in a batch", "the same sequence alone"),
        BLOCK_ORDER_IRRELEVANT("the cache in other blocks", "the cache in the blocks first given");

        private final String variant;
        private final String reference;

        Invariance(String variant, String reference) {
            this.variant = variant;
            this.reference = reference;
        }
    }

    /**
     * Whether an invariance holds; when it does not, what differs and where first, in words.
     *
     * @param reference the output the invariance compares against (the recomputation, the whole pass, the
     *     sequence alone, the first block layout)
     */
    public static Optional<String> broken(Invariance invariance, float[] reference, float[] variant, Tolerance tolerance) {
        if (reference.length != variant.length) {
            return Optional.of(String.format(Locale.ROOT, "%s gives %d values, %s %d", invariance.variant,
                    variant.length, invariance.reference, reference.length));
        }
        Comparison.Diff diff = Comparison.compare(variant, reference, tolerance);
        if (diff.close()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s differs from %s in %d of %d values (first at value %d)",
                invariance.variant, invariance.reference, diff.mismatches(), variant.length, firstDifference(reference,
                        variant, tolerance)));
    }

    private static int firstDifference(float[] a, float[] b, Tolerance tolerance) {
        boolean[] changed = Comparison.changed(a, b, tolerance);
        for (int i = 0; i < changed.length; i++) {
            if (changed[i]) {
                return i;
            }
        }
        return -1;
    }
}
