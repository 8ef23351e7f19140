package dev.tinyvllm.engine.bench;

import dev.tinyvllm.engine.kernels.Kernels;
import java.util.Arrays;

/**
 * Measures how fast this machine streams memory into the cores: a sum over a buffer far larger than the
 * caches, split over the same threads the kernels use. The best pass seen is the practical limit a
 * bandwidth-bound decode step can reach; the bench probes again between its trials and keeps the best,
 * so the limit and the decode speed are both best cases, taken in the same quiet moments.
 */
public final class ReadBandwidth {

    private final Kernels kernels;
    private final float[] buffer;
    private double best;

    /** A probe over a buffer of {@code bytes} (rounded to floats). */
    public ReadBandwidth(Kernels kernels, long bytes) {
        this.kernels = kernels;
        this.buffer = new float[(int) Math.min(Integer.MAX_VALUE - 8, bytes / 4)];
        Arrays.fill(buffer, 1f);
    }

    /** Runs {@code passes} passes (after one warm-up) and returns the best bytes per second so far. */
    public double measure(int passes) {
        int n = buffer.length;
        int chunks = kernels.parallel().threads() * 4;
        int per = (n + chunks - 1) / chunks;
        float[] partial = new float[chunks];
        for (int pass = 0; pass < passes + 1; pass++) {
            long start = System.nanoTime();
            kernels.parallel().forEach(chunks, c -> {
                int from = c * per;
                int to = Math.min(n, from + per);
                partial[c] = kernels.sum(buffer, from, to - from);
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            if (pass > 0) {
                best = Math.max(best, 4.0 * n / seconds);
            }
            double total = 0;
            for (float p : partial) {
                total += p;
            }
            if (total != n) {
                throw new IllegalStateException("bandwidth probe summed " + total + " instead of " + n);
            }
        }
        return best;
    }

    /** The best bytes per second measured so far. */
    public double best() {
        return best;
    }
}
