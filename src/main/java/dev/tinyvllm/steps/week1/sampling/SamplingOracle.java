package dev.tinyvllm.steps.week1.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Hidden reference of the distribution a sampler draws from, for one row of logits.
 *
 * <p>The contract: divide the logits by the temperature; top-k keeps every token whose scaled logit is
 * at least the k-th largest (ties at the boundary all stay); top-p then ranks the survivors by
 * probability (ties: lower token id first) and keeps the shortest prefix whose probabilities add up to
 * at least p; the kept tokens' probabilities are renormalised to sum to 1, the others are exactly 0.
 * Temperature 0 is greedy: all mass on the largest logit, the lowest id among ties. topK 0 and topP 1
 * switch their filter off.
 *
 * <p>Softmax and the division run on libtorch (through DJL); ranking and the running totals are plain
 * Java, because the tie rule above is part of the contract and libtorch's sorts do not promise it.
 */
public final class SamplingOracle {

    private SamplingOracle() {}

    public static float[] probabilities(NDManager manager, float[] logits, double temperature, int topK, double topP,
            Set<SamplingMutation> mutations) {
        int vocab = logits.length;
        if (temperature == 0) {
            float[] oneHot = new float[vocab];
            int best = mutations.contains(SamplingMutation.GREEDY_LAST_TIE)
                    ? lastArgMax(logits)
                    : (int) manager.create(logits).argMax().getLong();
            oneHot[best] = 1f;
            return oneHot;
        }
        NDArray raw = manager.create(logits);
        float[] scaled = (mutations.contains(SamplingMutation.TEMPERATURE_MULTIPLIED)
                ? raw.mul(temperature) : raw.div(temperature)).toFloatArray();
        boolean[] keepK = topK(scaled, topK, mutations);
        float[] afterK = softmax(manager, scaled, keepK);
        float[] rankBy;
        if (mutations.contains(SamplingMutation.TOP_P_BEFORE_TEMPERATURE)) {
            rankBy = softmax(manager, logits, keepK);
        } else if (mutations.contains(SamplingMutation.TOP_P_BEFORE_TOP_K)) {
            rankBy = softmax(manager, scaled, null);
        } else {
            rankBy = afterK;
        }
        boolean[] keepP = topP(rankBy, topP, mutations.contains(SamplingMutation.TOP_P_CROSSING_TOKEN_DROPPED));
        boolean[] keep = new boolean[vocab];
        for (int i = 0; i < vocab; i++) {
            keep[i] = keepK[i] && keepP[i];
        }
        if (mutations.contains(SamplingMutation.NOT_RENORMALIZED)) {
            float[] all = softmax(manager, scaled, null);
            for (int i = 0; i < vocab; i++) {
                all[i] = keep[i] ? all[i] : 0f;
            }
            return all;
        }
        return softmax(manager, scaled, keep);
    }

    /** Token ids by value, largest first, lower id first among equal values. */
    public static Integer[] ranking(float[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i));
        return order;
    }

    private static boolean[] topK(float[] scaled, int k, Set<SamplingMutation> mutations) {
        int vocab = scaled.length;
        boolean[] keep = new boolean[vocab];
        if (mutations.contains(SamplingMutation.TOP_K_ONE_FEWER)) {
            k -= 1;
        } else if (mutations.contains(SamplingMutation.TOP_K_ONE_MORE)) {
            k += 1;
        }
        if (k <= 0 || k >= vocab) {
            Arrays.fill(keep, true);
            return keep;
        }
        Integer[] order = ranking(scaled);
        if (mutations.contains(SamplingMutation.TOP_K_TIES_DROPPED)) {
            for (int r = 0; r < k; r++) {
                keep[order[r]] = true;
            }
            return keep;
        }
        float kth = scaled[order[k - 1]];
        for (int i = 0; i < vocab; i++) {
            keep[i] = scaled[i] >= kth;
        }
        return keep;
    }

    private static boolean[] topP(float[] probs, double p, boolean crossingDropped) {
        int vocab = probs.length;
        boolean[] keep = new boolean[vocab];
        if (p >= 1) {
            Arrays.fill(keep, true);
            return keep;
        }
        Integer[] order = ranking(probs);
        double total = 0;
        for (int r = 0; r < vocab; r++) {
            int token = order[r];
            boolean kept = crossingDropped ? total + probs[token] <= p : total < p;
            if (!kept && r > 0) {
                break;
            }
            keep[token] = true;
            total += probs[token];
        }
        return keep;
    }

    /** Softmax over the kept tokens (all when {@code keep} is null); the others get exactly 0. */
    private static float[] softmax(NDManager manager, float[] scores, boolean[] keep) {
        float[] masked = scores.clone();
        if (keep != null) {
            for (int i = 0; i < masked.length; i++) {
                if (!keep[i]) {
                    masked[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return manager.create(masked).softmax(0).toFloatArray();
    }

    private static int lastArgMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] >= logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
