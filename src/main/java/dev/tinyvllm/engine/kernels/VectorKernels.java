package dev.tinyvllm.engine.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels on heap arrays ({@code fromArray} only, which JDK 17 and 25 both have).
 *
 * <p>Several tokens walk tiles of 4 weight rows × 4 tokens: each weight vector is loaded once and meets
 * four token vectors, so a batch of sequences shares one read of the weights; bf16 and q8 rows are first
 * widened to a float scratch row, once per token block. A single token goes row by row, widening bf16
 * (one shift or mask per 16 values) and q8 (bytes to floats, times the group scale) in registers; one
 * row at a time measured faster than four here. Each (row, token) pair has its own accumulator, updated
 * as {@code acc = w · x + acc} in column order and reduced at the end, then the columns past the vector
 * part are added in scalar order: the same float operations on every path, so results never depend on
 * the batch.
 */
public final class VectorKernels extends Kernels {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Bytes widen to floats lane for lane; there is no 32-bit byte vector, so 128-bit floats have no q8 path. */
    static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;

    private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);

    public VectorKernels(Parallel parallel) {
        super(parallel);
    }

    @Override
    public String name() {
        return "vector (" + F.vectorBitSize() + "-bit)";
    }

    // ---- weight widening ----

    /** The low halves of packed bf16 pairs, as floats. */
    private static FloatVector low(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** The high halves of packed bf16 pairs, as floats. */
    private static FloatVector high(IntVector v) {
        return v.and(0xFFFF0000).reinterpretAsFloats();
    }

    // ---- matmul ----

    @Override
    protected void rows(Matrix w, float[] x, int t0, int t1, float[] out, int r0, int r1) {
        if (w instanceof F32Matrix m) {
            f32Rows(m.data(), 0, m.cols(), F.loopBound(m.cols()), m.rows(), x, t0, t1, out, r0, r1, 0);
        } else if (w instanceof Bf16Matrix m) {
            if (t1 - t0 == 1) {
                bf16Decode(m, x, t0, out, r0, r1);
            } else {
                widenedRows(w, x, t0, t1, out, r0, r1);
            }
        } else if (w instanceof Q8Matrix m) {
            if (t1 - t0 == 1) {
                q8Decode(m, x, t0, out, r0, r1);
            } else {
                widenedRows(w, x, t0, t1, out, r0, r1);
            }
        }
    }

    /**
     * float32 rows {@code [r0, r1)} of a matrix whose row {@code r} starts at {@code base + (r - firstRow) * cols}
     * in {@code w}; outputs go to row index {@code r} of {@code out}.
     */
    private static void f32Rows(float[] w, int base, int cols, int vend, int rows, float[] x, int t0, int t1, float[] out,
            int r0, int r1, int firstRow) {
        int r = r0;
        // A single token goes row by row (measured ~15% faster than 4-row tiles for a memory-bound matvec).
        for (; r + 4 <= r1 && t1 - t0 > 1; r += 4) {
            int wo = base + (r - firstRow) * cols;
            int t = t0;
            for (; t + 4 <= t1; t += 4) {
                tile4x4(w, wo, cols, vend, x, t, out, rows, r);
            }
            for (; t < t1; t++) {
                tile4x1(w, wo, cols, vend, x, t, out, rows, r);
            }
        }
        for (; r < r1; r++) {
            int wo = base + (r - firstRow) * cols;
            for (int t = t0; t < t1; t++) {
                out[t * rows + r] = dotF32(w, wo, x, t * cols, cols, vend);
            }
        }
    }

    /** bf16 and q8 with several tokens: widen 4 rows into a float scratch, then run the float32 tiles. */
    private void widenedRows(Matrix w, float[] x, int t0, int t1, float[] out, int r0, int r1) {
        int cols = w.cols();
        float[] buf = scratch.get();
        if (buf.length < 4 * cols) {
            buf = new float[4 * cols];
            scratch.set(buf);
        }
        for (int r = r0; r < r1; r += 4) {
            int n = Math.min(4, r1 - r);
            for (int i = 0; i < n; i++) {
                widenRow(w, r + i, buf, i * cols);
            }
            int vend = w instanceof Q8Matrix ? q8VectorEnd(cols) : (cols / Bf16Matrix.RUN) * Bf16Matrix.RUN;
            f32Rows(buf, 0, cols, vend, w.rows(), x, t0, t1, out, r, r + n, r);
        }
    }

    /** Row {@code r} as floats in column order: exactly the values the one-token paths compute in registers. */
    private static void widenRow(Matrix w, int r, float[] dst, int off) {
        if (w instanceof Q8Matrix q8) {
            byte[] q = q8.quants();
            float[] sc = q8.scales();
            int cols = q8.cols();
            int groups = Q8Matrix.groupsPerRow(cols);
            int wo = r * cols;
            int vend = q8VectorEnd(cols);
            for (int c = 0; c < vend; c += L) {
                widen(q, wo + c).mul(FloatVector.broadcast(F, sc[r * groups + c / Q8Matrix.GROUP])).intoArray(dst, off + c);
            }
            for (int c = vend; c < cols; c++) {
                dst[off + c] = q[wo + c] * sc[r * groups + c / Q8Matrix.GROUP];
            }
            return;
        }
        Bf16Matrix m = (Bf16Matrix) w;
        int[] p = m.packed();
        int cols = m.cols();
        int base = r * Bf16Matrix.rowInts(cols);
        int full = cols / Bf16Matrix.RUN;
        for (int j = 0; j < full; j++) {
            for (int sub = 0; sub < Bf16Matrix.RUN / 2; sub += L) {
                IntVector v = IntVector.fromArray(I, p, base + j * (Bf16Matrix.RUN / 2) + sub);
                low(v).intoArray(dst, off + j * Bf16Matrix.RUN + sub);
                high(v).intoArray(dst, off + j * Bf16Matrix.RUN + Bf16Matrix.RUN / 2 + sub);
            }
        }
        for (int c = full * Bf16Matrix.RUN; c < cols; c++) {
            dst[off + c] = m.get(r, c);
        }
    }

    /**
     * The lanes' sum, added in lane order. {@code reduceLanes(ADD)} leaves the order open, and from JDK 23
     * C2 compiles it as a tree while the interpreter adds in order: the same call could give another last
     * bit before and after compilation, and a token's logits would depend on when they were computed.
     */
    private static float sumLanes(FloatVector v) {
        float[] lanes = v.toArray();
        float s = 0;
        for (float lane : lanes) {
            s += lane;
        }
        return s;
    }

    private static float dotF32(float[] w, int wo, float[] x, int xo, int n, int vend) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (; c < vend; c += L) {
            acc = FloatVector.fromArray(F, w, wo + c).fma(FloatVector.fromArray(F, x, xo + c), acc);
        }
        float s = sumLanes(acc);
        for (; c < n; c++) {
            s += w[wo + c] * x[xo + c];
        }
        return s;
    }

    private static void tile4x1(float[] w, int wo, int cols, int vend, float[] x, int t, float[] out, int rows, int r) {
        int w1 = wo + cols;
        int w2 = w1 + cols;
        int w3 = w2 + cols;
        int xo = t * cols;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int c = 0;
        for (; c < vend; c += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + c);
            a0 = FloatVector.fromArray(F, w, wo + c).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, w1 + c).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, w2 + c).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, w3 + c).fma(xv, a3);
        }
        float s0 = sumLanes(a0);
        float s1 = sumLanes(a1);
        float s2 = sumLanes(a2);
        float s3 = sumLanes(a3);
        for (; c < cols; c++) {
            float xc = x[xo + c];
            s0 += w[wo + c] * xc;
            s1 += w[w1 + c] * xc;
            s2 += w[w2 + c] * xc;
            s3 += w[w3 + c] * xc;
        }
        int o = t * rows + r;
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }

    private static void tile4x4(float[] w, int wo, int cols, int vend, float[] x, int t, float[] out, int rows, int r) {
        int w1 = wo + cols;
        int w2 = w1 + cols;
        int w3 = w2 + cols;
        int x0 = t * cols;
        int x1 = x0 + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a33 = z;
        int c = 0;
        for (; c < vend; c += L) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + c);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + c);
            FloatVector wv = FloatVector.fromArray(F, w, wo + c);
            a00 = wv.fma(v0, a00);
            a01 = wv.fma(v1, a01);
            a02 = wv.fma(v2, a02);
            a03 = wv.fma(v3, a03);
            wv = FloatVector.fromArray(F, w, w1 + c);
            a10 = wv.fma(v0, a10);
            a11 = wv.fma(v1, a11);
            a12 = wv.fma(v2, a12);
            a13 = wv.fma(v3, a13);
            wv = FloatVector.fromArray(F, w, w2 + c);
            a20 = wv.fma(v0, a20);
            a21 = wv.fma(v1, a21);
            a22 = wv.fma(v2, a22);
            a23 = wv.fma(v3, a23);
            wv = FloatVector.fromArray(F, w, w3 + c);
            a30 = wv.fma(v0, a30);
            a31 = wv.fma(v1, a31);
            a32 = wv.fma(v2, a32);
            a33 = wv.fma(v3, a33);
        }
        store(out, rows, r, t, w, wo, cols, x, c,
                sumLanes(a00), sumLanes(a01),
                sumLanes(a02), sumLanes(a03), 0);
        store(out, rows, r, t, w, wo, cols, x, c,
                sumLanes(a10), sumLanes(a11),
                sumLanes(a12), sumLanes(a13), 1);
        store(out, rows, r, t, w, wo, cols, x, c,
                sumLanes(a20), sumLanes(a21),
                sumLanes(a22), sumLanes(a23), 2);
        store(out, rows, r, t, w, wo, cols, x, c,
                sumLanes(a30), sumLanes(a31),
                sumLanes(a32), sumLanes(a33), 3);
    }

    /** Adds the scalar tail from column {@code c} to four reduced sums of row {@code r + i} and stores them. */
    private static void store(float[] out, int rows, int r, int t, float[] w, int wo, int cols, float[] x, int c,
            float s0, float s1, float s2, float s3, int i) {
        int wr = wo + i * cols;
        for (int k = c; k < cols; k++) {
            float wk = w[wr + k];
            s0 += wk * x[t * cols + k];
            s1 += wk * x[(t + 1) * cols + k];
            s2 += wk * x[(t + 2) * cols + k];
            s3 += wk * x[(t + 3) * cols + k];
        }
        out[t * rows + r + i] = s0;
        out[(t + 1) * rows + r + i] = s1;
        out[(t + 2) * rows + r + i] = s2;
        out[(t + 3) * rows + r + i] = s3;
    }

    /**
     * One token against bf16 rows, one row at a time: per run of 32 values, the packed ints give the first
     * 16 values (low halves) and the next 16 (high halves), accumulated in column order per lane.
     */
    private static void bf16Decode(Bf16Matrix m, float[] x, int t, float[] out, int r0, int r1) {
        int[] p = m.packed();
        int cols = m.cols();
        int rows = m.rows();
        int stride = Bf16Matrix.rowInts(cols);
        int full = cols / Bf16Matrix.RUN;
        int half = Bf16Matrix.RUN / 2;
        int xo = t * cols;
        // One row at a time: measured faster than four rows at once, whose widening runs out of registers.
        for (int r = r0; r < r1; r++) {
            int base = r * stride;
            FloatVector acc = FloatVector.zero(F);
            for (int j = 0; j < full; j++) {
                int c = xo + j * Bf16Matrix.RUN;
                int k = base + j * half;
                if (L == half) {
                    IntVector v = IntVector.fromArray(I, p, k);
                    acc = low(v).fma(FloatVector.fromArray(F, x, c), acc);
                    acc = high(v).fma(FloatVector.fromArray(F, x, c + half), acc);
                } else {
                    for (int sub = 0; sub < half; sub += L) {
                        acc = low(IntVector.fromArray(I, p, k + sub)).fma(FloatVector.fromArray(F, x, c + sub), acc);
                    }
                    for (int sub = 0; sub < half; sub += L) {
                        acc = high(IntVector.fromArray(I, p, k + sub)).fma(FloatVector.fromArray(F, x, c + half + sub), acc);
                    }
                }
            }
            out[t * rows + r] = bf16Tail(m, r, x, xo, full, sumLanes(acc));
        }
    }

    /** Adds the values past the last full run of 32 to a row's reduced sum, in column order. */
    private static float bf16Tail(Bf16Matrix m, int r, float[] x, int xo, int full, float s) {
        for (int c = full * Bf16Matrix.RUN; c < m.cols(); c++) {
            s += m.get(r, c) * x[xo + c];
        }
        return s;
    }

    private static FloatVector widen(byte[] q, int off) {
        return (FloatVector) ByteVector.fromArray(B, q, off).castShape(F, 0);
    }

    /** Where the vector part of a q8 row ends: whole groups only (none without a byte species). */
    private static int q8VectorEnd(int cols) {
        return B == null ? 0 : (cols / Q8Matrix.GROUP) * Q8Matrix.GROUP;
    }

    /**
     * One token against q8 rows, one row at a time: bytes widened to floats and scaled by their group's
     * scale in registers, then accumulated like float32 weights.
     */
    private static void q8Decode(Q8Matrix m, float[] x, int t, float[] out, int r0, int r1) {
        byte[] q = m.quants();
        float[] sc = m.scales();
        int cols = m.cols();
        int rows = m.rows();
        int groups = Q8Matrix.groupsPerRow(cols);
        int full = q8VectorEnd(cols) / Q8Matrix.GROUP;
        int xo = t * cols;
        for (int r = r0; r < r1; r++) {
            int wo = r * cols;
            int g0 = r * groups;
            FloatVector acc = FloatVector.zero(F);
            for (int g = 0; g < full; g++) {
                FloatVector scale = FloatVector.broadcast(F, sc[g0 + g]);
                int c = g * Q8Matrix.GROUP;
                for (int k = 0; k < Q8Matrix.GROUP; k += L) {
                    acc = widen(q, wo + c + k).mul(scale).fma(FloatVector.fromArray(F, x, xo + c + k), acc);
                }
            }
            float s = sumLanes(acc);
            for (int c = full * Q8Matrix.GROUP; c < cols; c++) {
                s += q[wo + c] * sc[g0 + c / Q8Matrix.GROUP] * x[xo + c];
            }
            out[t * rows + r] = s;
        }
    }

    // ---- attention helpers ----

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        return dotF32(a, ao, b, bo, n, F.loopBound(n));
    }

    @Override
    public float sum(float[] a, int ao, int n) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            a0 = a0.add(FloatVector.fromArray(F, a, ao + i));
            a1 = a1.add(FloatVector.fromArray(F, a, ao + i + L));
        }
        float s = sumLanes(a0.add(a1));
        for (; i < n; i++) {
            s += a[ao + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, xo + i).fma(FloatVector.broadcast(F, alpha), FloatVector.fromArray(F, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void scale(float alpha, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, y, yo + i).mul(alpha).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] *= alpha;
        }
    }
}
