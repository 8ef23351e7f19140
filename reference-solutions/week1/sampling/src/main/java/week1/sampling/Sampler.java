package week1.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/** The course's solution of week1/sampling. Never shown to students. */
public final class Sampler {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final Random random;

    public Sampler(double temperature, int topK, double topP, long seed) {
        if (temperature < 0 || topK < 0 || !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("need temperature >= 0, topK >= 0 and 0 < topP <= 1, got "
                    + temperature + ", " + topK + ", " + topP);
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new Random(seed);
    }

    public NDArray probabilities(NDArray logits) {
        NDManager manager = logits.getManager();
        int vocab = (int) logits.getShape().get(0);
        if (temperature == 0) {
            float[] oneHot = new float[vocab];
            oneHot[(int) logits.argMax().getLong()] = 1;
            return manager.create(oneHot);
        }
        float[] scaled = logits.div(temperature).toFloatArray();
        boolean[] keep = new boolean[vocab];
        Arrays.fill(keep, true);
        if (topK > 0 && topK < vocab) {
            float kth = scaled[ranking(scaled)[topK - 1]];
            for (int i = 0; i < vocab; i++) {
                keep[i] = scaled[i] >= kth;
            }
        }
        NDArray probs = softmax(manager, scaled, keep);
        if (topP < 1) {
            float[] p = probs.toFloatArray();
            Integer[] order = ranking(p);
            boolean[] nucleus = new boolean[vocab];
            double total = 0;
            for (int r = 0; r < vocab && (r == 0 || total < topP); r++) {
                nucleus[order[r]] = true;
                total += p[order[r]];
            }
            for (int i = 0; i < vocab; i++) {
                keep[i] &= nucleus[i];
            }
            probs = softmax(manager, scaled, keep);
        }
        return probs;
    }

    public int sample(NDArray logits) {
        float[] probs = probabilities(logits).toFloatArray();
        double u = random.nextDouble();
        double total = 0;
        int last = 0;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] > 0) {
                total += probs[i];
                last = i;
                if (u < total) {
                    return i;
                }
            }
        }
        // The float probabilities may add up to a hair under 1.
        return last;
    }

    /** Token ids by value, largest first, the lower id first among equal values. */
    private static Integer[] ranking(float[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i));
        return order;
    }

    /** Softmax over the kept tokens; the others get exactly 0. */
    private static NDArray softmax(NDManager manager, float[] scaled, boolean[] keep) {
        float[] masked = scaled.clone();
        for (int i = 0; i < masked.length; i++) {
            if (!keep[i]) {
                masked[i] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(masked).softmax(0);
    }
}
