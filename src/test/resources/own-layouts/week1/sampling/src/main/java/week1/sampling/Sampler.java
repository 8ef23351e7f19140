package week1.sampling;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Random;

/** A student's sampler: everything on Java arrays, in doubles. */
public final class Sampler {

    private final double t;
    private final int k;
    private final double p;
    private final Random rng;

    public Sampler(double temperature, int topK, double topP, long seed) {
        t = temperature;
        k = topK;
        p = topP;
        rng = new Random(seed);
    }

    public NDArray probabilities(NDArray logits) {
        float[] z = logits.toFloatArray();
        int n = z.length;
        float[] out = new float[n];
        if (t == 0) {
            out[best(z)] = 1;
            return logits.getManager().create(out);
        }
        for (int i = 0; i < n; i++) {
            z[i] /= t;
        }
        boolean[] alive = new boolean[n];
        Arrays.fill(alive, true);
        if (k > 0 && k < n) {
            float[] sorted = z.clone();
            Arrays.sort(sorted);
            float threshold = sorted[n - k];
            for (int i = 0; i < n; i++) {
                alive[i] = z[i] >= threshold;
            }
        }
        double[] probs = normalised(z, alive);
        if (p < 1) {
            boolean[] nucleus = new boolean[n];
            boolean[] taken = new boolean[n];
            double running = 0;
            while (running < p) {
                int next = -1;
                for (int i = 0; i < n; i++) {
                    if (!taken[i] && (next < 0 || probs[i] > probs[next])) {
                        next = i;
                    }
                }
                taken[next] = true;
                nucleus[next] = true;
                running += probs[next];
            }
            for (int i = 0; i < n; i++) {
                alive[i] = alive[i] && nucleus[i];
            }
            probs = normalised(z, alive);
        }
        for (int i = 0; i < n; i++) {
            out[i] = (float) probs[i];
        }
        return logits.getManager().create(out);
    }

    public int sample(NDArray logits) {
        float[] probs = probabilities(logits).toFloatArray();
        double target = rng.nextDouble();
        double running = 0;
        int last = 0;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] > 0) {
                running += probs[i];
                last = i;
                if (target < running) {
                    return i;
                }
            }
        }
        return last;
    }

    private static int best(float[] z) {
        int best = 0;
        for (int i = 1; i < z.length; i++) {
            if (z[i] > z[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Softmax over the tokens still alive; the others get exactly 0. */
    private static double[] normalised(float[] z, boolean[] alive) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < z.length; i++) {
            if (alive[i]) {
                max = Math.max(max, z[i]);
            }
        }
        double[] e = new double[z.length];
        double total = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = alive[i] ? Math.exp(z[i] - max) : 0;
            total += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= total;
        }
        return e;
    }
}
