package dev.tinyvllm.steps.week1.qwen2model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.oracle.Qwen2Oracle;
import dev.tinyvllm.steps.week1.gqa.GqaOracle;
import dev.tinyvllm.steps.week1.qwen2block.BlockOracle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The week-1 model oracle against plain Java arithmetic where its answer can be worked out (blocks
 * whose output projections are zero pass the stream through, leaving embedding, final norm and head),
 * against the engine's own libtorch oracle (written separately, from the model's definition) on random
 * checkpoints, and its behaviour: causal, and changed by every known mistake.
 */
class Week1ModelOracleTest {

    private static final Tolerance TIGHT = new Tolerance(1e-5, 1e-5);
    private static final int VOCAB = 11;
    private static final int HIDDEN = 8;
    private static NDManager manager;
    private final Random random = new Random(5);

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** A layer whose attention and MLP write nothing back: o_proj and down_proj are zero. */
    private BlockOracle.BlockWeights silentLayer() {
        int kv = HIDDEN / 2;
        GqaOracle.AttentionWeights a = new GqaOracle.AttentionWeights(2, 1,
                manager.create(gaussian(HIDDEN * HIDDEN), new Shape(HIDDEN, HIDDEN)), manager.create(gaussian(HIDDEN)),
                manager.create(gaussian(kv * HIDDEN), new Shape(kv, HIDDEN)), manager.create(gaussian(kv)),
                manager.create(gaussian(kv * HIDDEN), new Shape(kv, HIDDEN)), manager.create(gaussian(kv)),
                manager.zeros(new Shape(HIDDEN, HIDDEN)), 10_000);
        return new BlockOracle.BlockWeights(manager.create(gaussian(HIDDEN)), manager.create(gaussian(HIDDEN)), 1e-6, a,
                manager.create(gaussian(12 * HIDDEN), new Shape(12, HIDDEN)),
                manager.create(gaussian(12 * HIDDEN), new Shape(12, HIDDEN)), manager.zeros(new Shape(HIDDEN, 12)));
    }

    @Test
    void throughSilentLayersTheLogitsAreTheNormedEmbeddingTimesTheHead() {
        float[] embedding = gaussian(VOCAB * HIDDEN);
        float[] norm = gaussian(HIDDEN);
        float[] lmHead = gaussian(VOCAB * HIDDEN);
        int[] ids = {3, 0, 10, 3, 7, 1};
        for (boolean tied : new boolean[] {true, false}) {
            Week1ModelOracle.Weights w = new Week1ModelOracle.Weights(manager.create(embedding, new Shape(VOCAB, HIDDEN)),
                    List.of(silentLayer(), silentLayer()), manager.create(norm), 1e-6,
                    tied ? null : manager.create(lmHead, new Shape(VOCAB, HIDDEN)));
            Week1ModelOracle.Trace trace = Week1ModelOracle.trace(manager.create(ids, new Shape(2, 3)), w);
            assertEquals(3, trace.hidden().size(), "the embedding's output, then one per layer");
            float[] head = tied ? embedding : lmHead;
            float[] expected = new float[ids.length * VOCAB];
            for (int t = 0; t < ids.length; t++) {
                double squares = 0;
                for (int d = 0; d < HIDDEN; d++) {
                    squares += embedding[ids[t] * HIDDEN + d] * embedding[ids[t] * HIDDEN + d];
                }
                double scale = 1 / Math.sqrt(squares / HIDDEN + 1e-6);
                for (int v = 0; v < VOCAB; v++) {
                    double dot = 0;
                    for (int d = 0; d < HIDDEN; d++) {
                        dot += embedding[ids[t] * HIDDEN + d] * scale * norm[d] * head[v * HIDDEN + d];
                    }
                    expected[t * VOCAB + v] = (float) dot;
                }
            }
            assertTrue(Comparison.allClose(trace.logits().toFloatArray(), expected, TIGHT), "tied " + tied);
            assertTrue(Comparison.allClose(trace.hidden().get(2).toFloatArray(), trace.hidden().get(0).toFloatArray(), TIGHT));
        }
    }

    @Test
    void itAgreesWithTheEnginesIndependentLibtorchOracleTiedAndUntied() throws IOException {
        for (boolean tied : new boolean[] {true, false}) {
            Path folder = dir.resolve("tied-" + tied);
            Qwen2Config config = RandomQwen2Model.write(folder, RandomQwen2Model.tiny(32, 4, 2, 2, tied), DType.BF16, 4, 2);
            int[] ids = {7, 1, 250, 33, 33, 100};
            try (Checkpoint checkpoint = Checkpoint.open(folder); Qwen2Oracle engineOracle = Qwen2Oracle.load(folder);
                    NDManager scratch = manager.newSubManager()) {
                float[] ours = Week1ModelOracle.trace(scratch.create(ids, new Shape(1, ids.length)),
                        Week1ModelOracle.load(checkpoint, config, scratch)).logits().toFloatArray();
                float[][] theirs = engineOracle.logits(ids);
                float[] flat = new float[ours.length];
                for (int t = 0; t < theirs.length; t++) {
                    System.arraycopy(theirs[t], 0, flat, t * theirs[t].length, theirs[t].length);
                }
                assertTrue(Comparison.allClose(ours, flat, new Tolerance(1e-4, 1e-4)), "tied " + tied);
            }
        }
    }

    @Test
    void onARandomCheckpointTheModelIsCausalAndEveryMistakeShows() throws IOException {
        Qwen2Config config = RandomQwen2Model.write(dir, RandomQwen2Model.tiny(24, 3, 3, 3, false), DType.F32, 9, 1);
        try (Checkpoint checkpoint = Checkpoint.open(dir); NDManager scratch = manager.newSubManager()) {
            Week1ModelOracle.Weights w = Week1ModelOracle.load(checkpoint, config, scratch);
            int[] ids = {5, 77, 300, 12, 9};
            float[] logits = Week1ModelOracle.trace(scratch.create(ids, new Shape(1, 5)), w).logits().toFloatArray();
            int[] changed = ids.clone();
            changed[4] = 41;
            float[] after = Week1ModelOracle.trace(scratch.create(changed, new Shape(1, 5)), w).logits().toFloatArray();
            int vocab = config.vocabSize();
            assertTrue(Comparison.allClose(Arrays.copyOf(after, 4 * vocab), Arrays.copyOf(logits, 4 * vocab), TIGHT),
                    "the last token moves no earlier position");
            assertFalse(Comparison.allClose(after, logits, TIGHT));
            assertTrue(Comparison.allClose(Week1ModelOracle.logits(scratch.create(ids, new Shape(1, 5)), w,
                    EnumSet.noneOf(ModelMutation.class)).toFloatArray(), logits, TIGHT));
            List<ModelMutation> unchanged = new ArrayList<>();
            for (ModelMutation m : ModelMutation.values()) {
                float[] mutated = Week1ModelOracle.logits(scratch.create(ids, new Shape(1, 5)), w, EnumSet.of(m)).toFloatArray();
                if (Comparison.allClose(mutated, logits, new Tolerance(1e-3, 1e-3))) {
                    unchanged.add(m);
                }
            }
            assertEquals(List.of(), unchanged, "each mistake changes the logits");
        }
    }
}
