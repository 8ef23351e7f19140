package dev.tinyvllm.engine.bench;

import dev.tinyvllm.engine.kernels.Kernels;
import java.util.Arrays;

/**
 * Measures how fast this machine streams memory into the cores: a sum over a buffer far larger than the
 * caches, split over the same threads the kernels use. The best of several passes is the practical limit
 * a bandwidth-bound decode step can reach.
 */
public final class ReadBandwidth {

    private ReadBandwidth() {}

    /** Bytes per second, reading a buffer of {@code bytes} (rounded to floats) {@code passes} times. */
    public static double measure(Kernels kernels, long bytes, int passes) {
        int n = (int) Math.min(Integer.MAX_VALUE - 8, bytes / 4);
        float[] buffer = new float[n];
        Arrays.fill(buffer, 1f);
        int chunks = kernels.parallel().threads() * 4;
        int per = (n + chunks - 1) / chunks;
        float[] partial = new float[chunks];
        double best = 0;
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
        }
        double total = 0;
        for (float p : partial) {
            total += p;
        }
        if (total != n) {
            throw new IllegalStateException("bandwidth probe summed " + total + " instead of " + n);
        }
        return best;
    }
}
