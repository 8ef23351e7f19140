package dev.tinyvllm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.oracle.Qwen2Oracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's logits against the libtorch forward pass on a small random Qwen2 (GQA, biases, untied head,
 * 3 layers): prefill, decode with the cache, staggered batches, chunked prefill, prefix-cache hits.
 */
class EngineOracleTest {

    /** float32 engine vs float32 libtorch: the same math in a different order of additions. */
    static final float TOLERANCE = 2e-4f;

    @TempDir
    static Path dir;
    static Qwen2Config config;
    static Qwen2Oracle oracle;
    static Qwen2Weights weights;

    @BeforeAll
    static void setUp() throws Exception {
        config = RandomQwen2Model.write(dir, RandomQwen2Model.tiny(64, 4, 2, 3, false), DType.F32, 42, 1);
        oracle = Qwen2Oracle.load(dir);
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            weights = Qwen2Weights.load(config, ckpt, WeightFormat.F32);
        }
    }

    @AfterAll
    static void tearDown() {
        oracle.close();
    }

    static LlmEngine engine(int blockSize, int blocks, int budget) {
        EngineConfig c = new EngineConfig(WeightFormat.F32, blockSize, blocks, budget, 16, blockSize * blocks, 2);
        return new LlmEngine(weights, c);
    }

    static int[] prompt(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = r.nextInt(config.vocabSize());
        }
        return p;
    }

    static SamplingParams greedy(int n) {
        return SamplingParams.greedy(n, Set.of()).withKeepLogits();
    }

    /** Every generated position's logits equal the oracle's on the full sequence. */
    static void assertMatchesOracle(Sequence seq) {
        int[] all = seq.tokens(0, seq.length());
        float[][] expected = oracle.logits(all);
        for (int i = 0; i < seq.logits().size(); i++) {
            int pos = seq.promptLength() - 1 + i;
            assertClose(expected[pos], seq.logits().get(i), "sequence " + seq.id() + " position " + pos);
        }
    }

    static void assertClose(float[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        float worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            float e = Math.abs(expected[i] - actual[i]);
            if (e > worst) {
                worst = e;
                at = i;
            }
        }
        float scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(worst <= TOLERANCE * Math.max(1, scale), where + ": max |Δ| " + worst + " at " + at
                + " (logit scale " + scale + ")");
    }

    @Test
    void prefillMatchesTheOracle() {
        try (LlmEngine e = engine(16, 64, 512)) {
            Sequence s = e.generate(List.of(prompt(1, 37)), greedy(1)).get(0);
            assertEquals(1, s.logits().size());
            assertMatchesOracle(s);
            assertEquals(0, e.blockManager().blocksInUse(), "no block leaked");
        }
    }

    @Test
    void decodeWithTheCacheMatchesTheOracle() {
        try (LlmEngine e = engine(8, 64, 512)) {
            Sequence s = e.generate(List.of(prompt(2, 11)), greedy(20)).get(0);
            assertEquals(20, s.output().length);
            assertMatchesOracle(s);
            // Greedy: each token is the argmax of the oracle's logits at that position.
            float[][] expected = oracle.logits(s.tokens(0, s.length()));
            for (int i = 0; i < 20; i++) {
                assertEquals(Sampler.argmax(expected[s.promptLength() - 1 + i]), s.output()[i]);
            }
        }
    }

    @Test
    void staggeredBatchMatchesEachSequenceAlone() {
        try (LlmEngine e = engine(8, 128, 512)) {
            List<Sequence> seqs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seqs.add(e.add(prompt(10 + i, 5 + 7 * i), greedy(6 + i), null));
                e.step();
                e.step();
            }
            while (e.hasUnfinished()) {
                e.step();
            }
            for (Sequence s : seqs) {
                assertMatchesOracle(s);
                // And bit for bit what the sequence produces alone.
                try (LlmEngine alone = engine(8, 128, 512)) {
                    Sequence a = alone.generate(List.of(s.tokens(0, s.promptLength())), greedy(s.output().length)).get(0);
                    assertArrayEquals(a.output(), s.output());
                    for (int i = 0; i < a.logits().size(); i++) {
                        assertArrayEquals(a.logits().get(i), s.logits().get(i), "batched logits are bit-identical");
                    }
                }
            }
            assertEquals(0, e.blockManager().blocksInUse());
        }
    }

    @Test
    void chunkedPrefillMatchesTheOracle() {
        try (LlmEngine e = engine(8, 128, 7)) {
            Sequence long1 = e.add(prompt(3, 45), greedy(4), null);
            Sequence long2 = e.add(prompt(4, 30), greedy(4), null);
            int steps = 0;
            while (e.hasUnfinished()) {
                e.step();
                steps++;
            }
            assertTrue(steps >= 75 / 7, "a 7-token budget needs many steps for 75 prompt tokens, took " + steps);
            assertMatchesOracle(long1);
            assertMatchesOracle(long2);
            assertEquals(0, e.blockManager().blocksInUse());
        }
    }

    @Test
    void prefixCacheHitReusesBlocksAndMatchesTheOracle() {
        int[] system = prompt(5, 40);
        int[] a = concat(system, prompt(6, 5));
        int[] b = concat(system, prompt(7, 9));
        try (LlmEngine e = engine(8, 128, 512)) {
            Sequence first = e.generate(List.of(a), greedy(3)).get(0);
            assertEquals(0, first.cachedPromptTokens());
            Sequence second = e.generate(List.of(b), greedy(3)).get(0);
            assertEquals(40, second.cachedPromptTokens(), "the 5 full blocks of the shared prefix are reused");
            assertMatchesOracle(first);
            assertMatchesOracle(second);
            // The same prompt again: everything but the last (partial) block comes from the cache.
            Sequence again = e.generate(List.of(a), greedy(3)).get(0);
            assertEquals(40, again.cachedPromptTokens());
            assertArrayEquals(first.output(), again.output());
            assertEquals(0, e.blockManager().blocksInUse());
        }
    }

    @Test
    void preemptedSequencesProduceTheSameTokens() {
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            prompts.add(prompt(20 + i, 9 + 3 * i));
        }
        SamplingParams sampled = new SamplingParams(0.8, 20, 0.9, 1234, 24, Set.of(), false, true);
        List<Sequence> roomy;
        try (LlmEngine e = engine(4, 256, 64)) {
            roomy = e.generate(prompts, sampled);
            assertEquals(0, e.scheduler().preemptions());
        }
        try (LlmEngine e = engine(4, 22, 64)) {
            List<Sequence> tight = e.generate(prompts, sampled);
            assertTrue(e.scheduler().preemptions() > 0, "22 blocks of 4 tokens cannot hold 6 sequences of ~40 tokens");
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(roomy.get(i).output(), tight.get(i).output(), "sequence " + i);
                assertEquals(Sequence.FinishReason.LENGTH, tight.get(i).finishReason());
            }
            assertEquals(0, e.blockManager().blocksInUse(), "no block leaked after preemptions");
            assertEquals(22, e.blockManager().freeBlocks());
        }
    }

    @Test
    void bf16AndQ8WeightsOfABf16CheckpointMatchTheOracle() throws Exception {
        // A bf16 checkpoint: the engine's bf16 weights are exactly the oracle's float32 weights.
        Path bf16Dir = dir.resolve("bf16");
        Qwen2Config c = RandomQwen2Model.write(bf16Dir, RandomQwen2Model.tiny(96, 6, 2, 2, true), DType.BF16, 43, 1);
        int[] p = new int[29];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i * 37 + 5) % c.vocabSize();
        }
        try (Qwen2Oracle bf16Oracle = Qwen2Oracle.load(bf16Dir); Checkpoint ckpt = Checkpoint.open(bf16Dir)) {
            float[][] expected = bf16Oracle.logits(p);
            for (WeightFormat f : WeightFormat.values()) {
                Qwen2Weights w = Qwen2Weights.load(c, ckpt, f);
                try (LlmEngine e = new LlmEngine(w, new EngineConfig(f, 8, 32, 64, 4, 256, 2))) {
                    Sequence s = e.generate(List.of(p), greedy(1)).get(0);
                    float[] actual = s.logits().get(0);
                    if (f == WeightFormat.Q8) {
                        // 8-bit weights: close, not equal (each weight within half a step of its group's scale).
                        double num = 0;
                        double den = 0;
                        for (int i = 0; i < actual.length; i++) {
                            num += (actual[i] - expected[28][i]) * (actual[i] - expected[28][i]);
                            den += expected[28][i] * expected[28][i];
                        }
                        assertTrue(Math.sqrt(num / den) < 0.05, "q8 relative error " + Math.sqrt(num / den));
                    } else {
                        assertClose(expected[28], actual, f + " weights");
                    }
                }
            }
        }
    }

    static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
