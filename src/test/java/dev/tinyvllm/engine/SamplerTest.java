package dev.tinyvllm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {

    static final float[] LOGITS = {(float) Math.log(0.2), (float) Math.log(0.5), (float) Math.log(0.3), -50f};

    static SamplingParams params(double temperature, int topK, double topP, long seed) {
        return new SamplingParams(temperature, topK, topP, seed, 10, Set.of(), false, false);
    }

    @Test
    void greedyTakesTheLargestLogitAndTheLowestIdOnTies() {
        assertEquals(1, Sampler.sample(LOGITS, params(0, 0, 1, 0), 0));
        assertEquals(2, Sampler.argmax(new float[] {0f, 1f, 3f, 3f}));
        assertEquals(1, Sampler.sample(LOGITS, params(1.5, 1, 1, 7), 3), "top-k 1 is greedy");
        assertEquals(1, Sampler.sample(LOGITS, params(1.0, 0, 0.01, 7), 3), "a tiny top-p keeps only the best");
    }

    @Test
    void samplingFollowsTheDistributionWithinTopKAndTopP() {
        int[] counts = new int[4];
        int draws = 20_000;
        for (int pos = 0; pos < draws; pos++) {
            counts[Sampler.sample(LOGITS, params(1.0, 0, 1, 42), pos)]++;
        }
        assertEquals(0.2, counts[0] / (double) draws, 0.015);
        assertEquals(0.5, counts[1] / (double) draws, 0.015);
        assertEquals(0.3, counts[2] / (double) draws, 0.015);
        int[] topK = new int[4];
        int[] topP = new int[4];
        for (int pos = 0; pos < draws; pos++) {
            topK[Sampler.sample(LOGITS, params(1.0, 2, 1, 42), pos)]++;
            topP[Sampler.sample(LOGITS, params(1.0, 0, 0.75, 42), pos)]++;
        }
        assertEquals(0, topK[0] + topK[3], "top-k 2 keeps ids 1 and 2 only");
        assertEquals(0.5 / 0.8, topK[1] / (double) draws, 0.015);
        assertEquals(0, topP[0] + topP[3], "0.5 + 0.3 reaches p = 0.75, so id 0 is cut");
    }

    @Test
    void aDrawDependsOnlyOnSeedAndPosition() {
        SamplingParams p = params(1.0, 0, 1, 9);
        for (int pos = 0; pos < 50; pos++) {
            assertEquals(Sampler.sample(LOGITS, p, pos), Sampler.sample(LOGITS.clone(), p, pos));
        }
        int differ = 0;
        for (int pos = 0; pos < 50; pos++) {
            differ += Sampler.sample(LOGITS, p, pos) != Sampler.sample(LOGITS, params(1.0, 0, 1, 10), pos) ? 1 : 0;
        }
        assertNotEquals(0, differ, "another seed draws other tokens");
    }
}
