package dev.tinyvllm.engine.kernels;

/**
 * The engine's numeric kernels. {@link #matmul} computes {@code out[t][r] = Σ_c w[r][c] · x[t][c]} for a
 * batch of tokens, split over row ranges on the {@link Parallel} pool.
 *
 * <p>Every output element is accumulated in the same order whatever the batch, tile or thread it falls
 * in, so a sequence gets bit-identical logits alone, in a batch, in a prefill chunk, or after being
 * preempted and recomputed.
 */
public abstract class Kernels {

    /** Tokens handled together while a block of weight rows is hot in cache. */
    static final int TOKEN_BLOCK = 32;
    /** Below this many multiply-adds a matmul runs on the calling thread alone. */
    private static final long PARALLEL_WORK = 1 << 16;

    protected final Parallel parallel;

    protected Kernels(Parallel parallel) {
        this.parallel = parallel;
    }

    /** The kernels this JVM can run fastest: the Vector API when its module is present, else scalar Java. */
    public static Kernels best(Parallel parallel) {
        if (VectorSupport.available()) {
            try {
                return (Kernels) Class.forName("dev.tinyvllm.engine.kernels.VectorKernels")
                        .getConstructor(Parallel.class).newInstance(parallel);
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarKernels(parallel);
            }
        }
        return new ScalarKernels(parallel);
    }

    /** "vector (512-bit)" or "scalar". */
    public abstract String name();

    public Parallel parallel() {
        return parallel;
    }

    /** {@code out[t * rows + r] = dot(w row r, x[t * cols ..])} for {@code t < tokens}. */
    public final void matmul(Matrix w, float[] x, int tokens, float[] out) {
        int rows = w.rows();
        if ((long) tokens * w.cols() > x.length || (long) tokens * rows > out.length) {
            throw new IllegalArgumentException("matmul: arrays too small for " + tokens + " tokens of a "
                    + rows + "x" + w.cols() + " matrix");
        }
        long work = (long) rows * w.cols() * tokens;
        int threads = parallel.threads();
        int chunks = work < PARALLEL_WORK ? 1 : Math.min(threads * 8, (rows + 3) / 4);
        int chunkRows = ((rows + chunks - 1) / chunks + 3) & ~3;
        int n = (rows + chunkRows - 1) / chunkRows;
        parallel.forEach(n, c -> {
            int r0 = c * chunkRows;
            int r1 = Math.min(rows, r0 + chunkRows);
            for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
                rows(w, x, t0, Math.min(tokens, t0 + TOKEN_BLOCK), out, r0, r1);
            }
        });
    }

    /** The matmul for rows {@code [r0, r1)} and tokens {@code [t0, t1)}. */
    protected abstract void rows(Matrix w, float[] x, int t0, int t1, float[] out, int r0, int r1);

    /** {@code Σ a[ao + i] · b[bo + i]} for {@code i < n}. */
    public abstract float dot(float[] a, int ao, float[] b, int bo, int n);

    /** {@code y[yo + i] += alpha · x[xo + i]} for {@code i < n}. */
    public abstract void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

    /** {@code Σ a[ao + i]} for {@code i < n} (the memory-bandwidth probe). */
    public float sum(float[] a, int ao, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += a[ao + i];
        }
        return s;
    }

    /** {@code y[yo + i] *= alpha} for {@code i < n}. */
    public void scale(float alpha, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] *= alpha;
        }
    }
}
