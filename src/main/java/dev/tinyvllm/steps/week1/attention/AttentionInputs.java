package dev.tinyvllm.steps.week1.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Grading;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * The inputs of one call, kept as plain numbers so that a probe can change some of them and call again.
 * Padded: q, k, v {@code [batch, len, heads*dim]}, {@code lengths} the valid keys per batch row (null: no
 * mask). Packed: q, k, v {@code [tokens, heads*dim]}, {@code lengths} the sequence lengths.
 */
record AttentionInputs(boolean packed, int heads, int dim, int batch, int len, int[] lengths, float[] q, float[] k,
        float[] v) {

    /**
     * The sizes of one check's inputs: a padded batch when {@code batch > 0}, else a packed one of the
     * given sequence lengths.
     *
     * @param name the end of the check's id
     */
    record Case(String name, String description, int batch, int len, int heads, int dim, int[] lengths) {

        /** The sizes a probe works on; it has no check of its own to name. */
        static Case probe(int batch, int len, int heads, int dim, int[] lengths) {
            return new Case("probe", "", batch, len, heads, dim, lengths);
        }
    }

    /** Fresh random q, k and v of the case's sizes, drawn in that order. */
    static AttentionInputs of(Case c, Random random) {
        int rows = c.batch() == 0 ? total(c.lengths()) : c.batch() * c.len();
        int n = rows * c.heads() * c.dim();
        return new AttentionInputs(c.batch() == 0, c.heads(), c.dim(), c.batch(), c.len(), c.lengths(),
                Grading.gaussian(random, n, 1), Grading.gaussian(random, n, 1), Grading.gaussian(random, n, 1));
    }

    int width() {
        return heads * dim;
    }

    int rows() {
        return packed ? total(lengths) : batch * len;
    }

    int maxLength() {
        return Arrays.stream(lengths).max().orElse(0);
    }

    AttentionInputs with(float[] nq, float[] nk, float[] nv) {
        return new AttentionInputs(packed, heads, dim, batch, len, lengths, nq, nk, nv);
    }

    /** Cumulative sequence starts of a packed batch, from 0 to the number of tokens. */
    int[] cu() {
        int[] cu = new int[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) {
            cu[i + 1] = cu[i] + lengths[i];
        }
        return cu;
    }

    /** The end (exclusive) of each sequence's rows: the packed sequences, or the padded batch rows. */
    int[] sequenceEnds() {
        if (packed) {
            int[] cu = cu();
            return Arrays.copyOfRange(cu, 1, cu.length);
        }
        int[] ends = new int[batch];
        for (int b = 0; b < batch; b++) {
            ends[b] = (b + 1) * len;
        }
        return ends;
    }

    // ---------------------------------------------------------------- as arrays

    /** q, k and v on a manager; each call makes new arrays, so nothing the student's code does to them lasts. */
    NDArray[] arrays(NDManager m) {
        Shape shape = packed ? new Shape(rows(), width()) : new Shape(batch, len, width());
        return new NDArray[] {m.create(q, shape), m.create(k, shape), m.create(v, shape)};
    }

    /** The padding mask, true where a key takes part; null for a packed batch or one without padding. */
    NDArray mask(NDManager m) {
        if (packed || lengths == null) {
            return null;
        }
        boolean[] attend = new boolean[batch * len];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                attend[b * len + t] = true;
            }
        }
        return m.create(attend, new Shape(batch, len));
    }

    List<Long> outputShape() {
        return packed ? List.of((long) rows(), (long) width()) : List.of((long) batch, (long) len, (long) width());
    }

    /** Where a flat index of the output lies: sequence (or batch row), token and head. */
    Map<String, Long> where(int flat) {
        int row = flat / width();
        long outer;
        long token;
        if (packed) {
            int[] cu = cu();
            int s = 0;
            while (row >= cu[s + 1]) {
                s++;
            }
            outer = s;
            token = row - cu[s];
        } else {
            outer = row / len;
            token = row % len;
        }
        Map<String, Long> where = new LinkedHashMap<>();
        where.put(packed ? "sequence" : "batch", outer);
        where.put("token", token);
        where.put("head", (long) (flat % width()) / dim);
        return where;
    }

    // ---------------------------------------------------------------- changed copies, for the probes

    /** New q, k and v where the selected flat positions get fresh random values. */
    AttentionInputs perturb(IntPredicate at, Random random) {
        float[] nq = q.clone();
        float[] nk = k.clone();
        float[] nv = v.clone();
        for (int i = 0; i < nq.length; i++) {
            if (at.test(i)) {
                nq[i] = (float) random.nextGaussian();
                nk[i] = (float) random.nextGaussian();
                nv[i] = (float) random.nextGaussian();
            }
        }
        return with(nq, nk, nv);
    }

    /** New keys and values (and queries too, when asked) on the selected rows. */
    AttentionInputs perturbRows(boolean[] rows, boolean queriesToo, Random random) {
        float[] nq = q.clone();
        float[] nk = k.clone();
        float[] nv = v.clone();
        int width = width();
        for (int i = 0; i < nk.length; i++) {
            if (rows[i / width]) {
                if (queriesToo) {
                    nq[i] = (float) random.nextGaussian();
                }
                nk[i] = (float) random.nextGaussian();
                nv[i] = (float) random.nextGaussian();
            }
        }
        return with(nq, nk, nv);
    }

    /** New keys and values on the padded rows (or on the valid ones) of a padded batch. */
    AttentionInputs perturbKeys(boolean padded, Random random) {
        boolean[] rows = new boolean[rows()];
        for (int r = 0; r < rows.length; r++) {
            boolean isPadding = r % len >= lengths[r / len];
            rows[r] = isPadding == padded;
        }
        return perturbRows(rows, false, random);
    }

    private static int total(int[] lengths) {
        int sum = 0;
        for (int l : lengths) {
            sum += l;
        }
        return sum;
    }
}
