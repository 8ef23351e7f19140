package dev.tinyvllm.check;

import dev.tinyvllm.curriculum.Tolerance;

/**
 * Element-wise comparison of flat float arrays with allclose semantics, where NaN equals NaN (a
 * mutant that produces NaN must be matchable) and an infinity equals only itself.
 */
public final class Comparison {

    /**
     * @param worstIndex the flat index of the largest error; a non-finite mismatch counts as the largest
     * @param nonFinite whether {@code actual} holds NaN or an infinity where {@code expected} is finite
     */
    public record Diff(boolean close, int mismatches, double maxAbsError, double maxRelError, int worstIndex,
            boolean nonFinite) {}

    private Comparison() {}

    public static Diff compare(float[] actual, float[] expected, Tolerance tolerance) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("sizes differ: " + actual.length + " vs " + expected.length);
        }
        int mismatches = 0;
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        double worstScore = -1;
        boolean nonFinite = false;
        for (int i = 0; i < actual.length; i++) {
            float a = actual[i];
            float e = expected[i];
            if (same(a, e, tolerance)) {
                continue;
            }
            mismatches++;
            double score;
            if (!Float.isFinite(a) && Float.isFinite(e)) {
                nonFinite = true;
                score = Double.POSITIVE_INFINITY;
            } else {
                double abs = Math.abs((double) a - e);
                score = Double.isNaN(abs) ? Double.POSITIVE_INFINITY : abs;
                if (!Double.isNaN(abs)) {
                    maxAbs = Math.max(maxAbs, abs);
                    maxRel = Math.max(maxRel, abs / Math.max(Math.abs((double) e), 1e-12));
                }
            }
            if (score > worstScore) {
                worstScore = score;
                worst = i;
            }
        }
        if (mismatches == 0) {
            // Report the error that was tolerated, for the record.
            for (int i = 0; i < actual.length; i++) {
                double abs = Math.abs((double) actual[i] - expected[i]);
                if (!Double.isNaN(abs) && abs > maxAbs) {
                    maxAbs = abs;
                    worst = i;
                }
            }
        }
        return new Diff(mismatches == 0, mismatches, maxAbs, maxRel, worst, nonFinite);
    }

    public static boolean allClose(float[] a, float[] b, Tolerance tolerance) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!same(a[i], b[i], tolerance)) {
                return false;
            }
        }
        return true;
    }

    /** Which elements moved between two runs: the basis of every probe. */
    public static boolean[] changed(float[] before, float[] after, Tolerance tolerance) {
        boolean[] moved = new boolean[before.length];
        for (int i = 0; i < before.length; i++) {
            moved[i] = !same(after[i], before[i], tolerance);
        }
        return moved;
    }

    public static boolean hasFinite(float[] values) {
        for (float v : values) {
            if (Float.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    public static boolean hasNonFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(float a, float e, Tolerance tolerance) {
        if (Float.isNaN(a) || Float.isNaN(e)) {
            return Float.isNaN(a) && Float.isNaN(e);
        }
        if (Float.isInfinite(a) || Float.isInfinite(e)) {
            return a == e;
        }
        return tolerance.close(a, e);
    }
}
