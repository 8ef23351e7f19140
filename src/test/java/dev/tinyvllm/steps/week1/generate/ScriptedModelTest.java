package dev.tinyvllm.steps.week1.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.host.fixtures.Recorder;
import dev.tinyvllm.steps.week1.generate.driver.ScriptedModel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scripted model lays its traps where the checks' diagnoses expect them: the last row favours the
 * script, every earlier row a higher-scoring decoy that is neither the script's token nor a stop id,
 * and it records each call's ids and how far streaming had got.
 */
class ScriptedModelTest {

    private static final int VOCAB = 16;
    private static final Set<Integer> STOPS = Set.of(15);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void theLastRowFavoursTheScriptAndEveryEarlierRowADecoyWithAHigherScore() {
        Recorder streamed = new Recorder();
        ScriptedModel model = new ScriptedModel(manager, VOCAB, new int[] {3, 15}, STOPS, streamed);
        NDArray logits = model.forward(manager.create(new int[] {1, 2, 3}, new Shape(1, 3)));
        assertEquals(new Shape(1, 3, VOCAB), logits.getShape());
        assertEquals(DataType.FLOAT32, logits.getDataType());
        assertEquals(3, logits.get(0, 2).argMax().getLong());
        int[] favourites = model.favourites().get(0);
        assertEquals(3, favourites[2]);
        for (int r = 0; r < 2; r++) {
            assertEquals(favourites[r], logits.get(0, r).argMax().getLong());
            assertNotEquals(3, favourites[r]);
            assertFalse(STOPS.contains(favourites[r]));
            assertTrue(logits.get(0, r).max().getFloat() > logits.get(0, 2).max().getFloat());
        }
        long flat = logits.argMax().getLong();
        assertNotEquals(2, flat / VOCAB, "the maximum of the whole array is a decoy");
    }

    @Test
    void itRecordsEachCallsIdsAndTheStreamingProgressAndFillsInPastTheScript() {
        Recorder streamed = new Recorder();
        ScriptedModel model = new ScriptedModel(manager, VOCAB, new int[] {7}, STOPS, streamed);
        model.forward(manager.create(new int[] {4, 5}, new Shape(1, 2)));
        streamed.accept(7);
        NDArray second = model.forward(manager.create(new long[] {4, 5, 7}, new Shape(1, 3)));
        List<int[]> inputs = model.inputs();
        assertArrayEquals(new int[] {4, 5}, inputs.get(0));
        assertArrayEquals(new int[] {4, 5, 7}, inputs.get(1));
        assertEquals(List.of(0, 1), model.progressAtCall());
        int filler = (int) second.get(0, 2).argMax().getLong();
        assertFalse(STOPS.contains(filler), "past the script, the model never chooses a stop id");
        inputs.get(0)[0] = 99;
        assertEquals(4, model.inputs().get(0)[0], "the recordings cannot be changed from outside");
    }

    @Test
    void itRejectsIdsOfTheWrongShapeOrType() {
        ScriptedModel model = new ScriptedModel(manager, VOCAB, new int[] {7}, STOPS, new Recorder());
        assertThrows(IllegalArgumentException.class, () -> model.forward(manager.create(new int[] {1, 2})));
        assertThrows(IllegalArgumentException.class,
                () -> model.forward(manager.create(new float[] {1, 2}, new Shape(1, 2))));
        assertTrue(model.inputs().isEmpty());
    }

    @Test
    void theExpectedTokensAreTheScriptUpToItsFirstStopIdOrTheLimit() {
        assertArrayEquals(new int[] {1, 2}, ScriptedGreedy.expected(new int[] {1, 2, 15, 4}, STOPS, 10));
        assertArrayEquals(new int[] {1, 2}, ScriptedGreedy.expected(new int[] {1, 2, 3, 4}, STOPS, 2));
        assertArrayEquals(new int[] {}, ScriptedGreedy.expected(new int[] {15}, STOPS, 5));
    }
}
