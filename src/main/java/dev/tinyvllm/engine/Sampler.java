package dev.tinyvllm.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from logits: greedy, or temperature with top-k and top-p, seeded per position. */
public final class Sampler {

    private Sampler() {}

    public static int sample(float[] logits, SamplingParams p, int position) {
        if (p.temperature() == 0) {
            return argmax(logits);
        }
        int n = logits.length;
        // Most likely first, ties by lower id, so the order never depends on the sort: each logit and its
        // id packed into one long sort as primitives (a boxed sort of a 150k vocabulary costs tens of ms).
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            bits ^= (bits >> 31) & 0x7FFFFFFF;
            keys[i] = ((long) ~bits << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        int k = p.topK() > 0 ? Math.min(p.topK(), n) : n;
        double max = logits[order[0]];
        double[] probs = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            probs[i] = Math.exp((logits[order[i]] - max) / p.temperature());
            sum += probs[i];
        }
        int keep = k;
        if (p.topP() < 1) {
            double cumulative = 0;
            for (int i = 0; i < k; i++) {
                cumulative += probs[i] / sum;
                if (cumulative >= p.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double kept = 0;
        for (int i = 0; i < keep; i++) {
            kept += probs[i];
        }
        double u = new SplittableRandom(p.seed() * 0x9E3779B97F4A7C15L + position).nextDouble() * kept;
        for (int i = 0; i < keep; i++) {
            u -= probs[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    /** The index of the largest logit (the lowest index among equals). */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
