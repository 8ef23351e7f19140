package dev.tinyvllm.steps.week1.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sampling oracle follows its contract on distributions crafted so the answer is known. */
class SamplingOracleTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static float[] logs(double... p) {
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            logits[i] = (float) Math.log(p[i]);
        }
        return logits;
    }

    @Test
    void samplingFollowsTheContractOnCraftedDistributions() {
        Set<SamplingMutation> none = EnumSet.noneOf(SamplingMutation.class);
        // Top-p 0.75 over 0.05, 0.5, 0.1, 0.3, 0.05 keeps tokens 1 and 3 (0.5 + 0.3 crosses 0.75).
        assertArrayEquals(new float[] {0, 0.625f, 0, 0.375f, 0},
                SamplingOracle.probabilities(manager, logs(0.05, 0.5, 0.1, 0.3, 0.05), 1, 0, 0.75, none), 1e-6f);
        // Dropping the crossing token keeps token 1 alone.
        assertArrayEquals(new float[] {0, 1, 0, 0, 0}, SamplingOracle.probabilities(manager,
                logs(0.05, 0.5, 0.1, 0.3, 0.05), 1, 0, 0.75, EnumSet.of(SamplingMutation.TOP_P_CROSSING_TOKEN_DROPPED)), 1e-6f);
        // Top-k 3 with a tie at the boundary keeps four tokens.
        float[] topK = SamplingOracle.probabilities(manager, new float[] {2, 1, 3, 1, 0.5f}, 1, 3, 1, none);
        assertEquals(4, countPositive(topK));
        assertEquals(0f, topK[4]);
        assertEquals(3, countPositive(SamplingOracle.probabilities(manager, new float[] {2, 1, 3, 1, 0.5f}, 1, 3, 1,
                EnumSet.of(SamplingMutation.TOP_K_TIES_DROPPED))));
        // Greedy picks the first of two tied largest logits.
        assertArrayEquals(new float[] {0, 1, 0, 0}, SamplingOracle.probabilities(manager, new float[] {1, 3, 0, 3}, 0, 0, 1,
                none), 0f);
        // Temperature 1, no filters: the softmax.
        float[] plain = SamplingOracle.probabilities(manager, new float[] {0, (float) Math.log(3)}, 1, 0, 1, none);
        assertArrayEquals(new float[] {0.25f, 0.75f}, plain, 1e-6f);
    }

    private static int countPositive(float[] values) {
        int n = 0;
        for (float v : values) {
            n += v > 0 ? 1 : 0;
        }
        return n;
    }
}
