package dev.tinyvllm.steps.week1.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.student.Kernels;
import dev.tinyvllm.torch.TorchScriptArchive;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The oracles agree with each other on real libtorch, and the student's kernels keep their contract. */
class AttentionOracleTest {

    private static final Tolerance TIGHT = new Tolerance(1e-5, 1e-6);
    private static NDManager manager;
    private final Random random = new Random(7);

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private NDArray randn(long... shape) {
        float[] values = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, new Shape(shape));
    }

    private NDArray padding(int batch, int len, int... valid) {
        boolean[] attend = new boolean[batch * len];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < valid[b]; t++) {
                attend[b * len + t] = true;
            }
        }
        return manager.create(attend, new Shape(batch, len));
    }

    @Test
    void torchScriptArchiveHoldsTheEntriesLibtorchLoads() throws Exception {
        byte[] zip = TorchScriptArchive.write("Probe", "  def forward(self: __torch__.Probe, x: Tensor) -> Tensor:\n    return x\n");
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod());
            }
        }
        assertEquals(List.of("probe/data.pkl", "probe/code/__torch__.py", "probe/constants.pkl", "probe/version"), names);
        assertThrows(IllegalArgumentException.class, () -> TorchScriptArchive.write("not a name", ""));
    }

    @ParameterizedTest(name = "causal={0}, mask={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void sdpaThroughTorchScriptMatchesTheEagerComposition(boolean causal, boolean masked) {
        NDArray q = randn(3, 6, 8);
        NDArray k = randn(3, 6, 8);
        NDArray v = randn(3, 6, 8);
        NDArray mask = masked ? padding(3, 6, 2, 6, 4) : null;
        float[] eager = AttentionOracle.eager(q, k, v, 2, 4, mask, causal, Set.of()).toFloatArray();
        float[] sdpa = AttentionOracle.sdpa(q, k, v, 2, 4, mask, causal).toFloatArray();
        assertTrue(Comparison.allClose(sdpa, eager, TIGHT));
        assertFalse(Comparison.hasNonFinite(sdpa));
    }

    @ParameterizedTest(name = "causal={0}")
    @CsvSource({"false", "true"})
    void varlenPerSequenceSdpaMatchesEagerPerSequenceAndTheStudentKernel(boolean causal) {
        int[] cu = {0, 1, 6, 22};
        NDArray q = randn(22, 16);
        NDArray k = randn(22, 16);
        NDArray v = randn(22, 16);
        float[] oracle = AttentionOracle.varlen(q, k, v, 2, 8, cu, causal).toFloatArray();
        float[] eager = AttentionOracle.varlenEager(q, k, v, 2, 8, cu, causal, Set.of()).toFloatArray();
        assertTrue(Comparison.allClose(oracle, eager, TIGHT));
        NDArray student = Kernels.flashAttentionVarlen(q.reshape(22, 2, 8), k.reshape(22, 2, 8), v.reshape(22, 2, 8),
                manager.create(cu), manager.create(cu), 16, 16, causal);
        assertEquals(new Shape(22, 2, 8), student.getShape());
        assertTrue(Comparison.allClose(student.reshape(22, 16).toFloatArray(), oracle, TIGHT));
    }

    @Test
    void crossingSequencesIsADifferentResult() {
        int[] cu = {0, 3, 9};
        NDArray q = randn(9, 8);
        float[] apart = AttentionOracle.varlenEager(q, q, q, 2, 4, cu, false, Set.of()).toFloatArray();
        float[] crossing = AttentionOracle.varlenEager(q, q, q, 2, 4, cu, false,
                Set.of(AttentionMutation.VARLEN_CROSSES_SEQUENCES)).toFloatArray();
        assertFalse(Comparison.allClose(apart, crossing, TIGHT));
    }

    @Test
    void everyMutationChangesTheResultOnAPaddedCausalInput() {
        NDArray q = randn(2, 5, 6);
        NDArray mask = padding(2, 5, 2, 4);
        float[] truth = AttentionOracle.eager(q, q.add(1), q.mul(2), 3, 2, mask, true, Set.of()).toFloatArray();
        for (AttentionMutation m : AttentionMutation.values()) {
            if (m == AttentionMutation.VARLEN_CROSSES_SEQUENCES) {
                continue;
            }
            float[] mutant = AttentionOracle.eager(q, q.add(1), q.mul(2), 3, 2, mask, true, Set.of(m)).toFloatArray();
            assertFalse(Comparison.allClose(mutant, truth, TIGHT), m + " must differ from the truth");
        }
    }

    @Test
    void theFusedKernelRefusesAMaskTogetherWithTheCausalFlagAsPyTorchDoes() {
        NDArray q = randn(1, 2, 4, 4);
        NDArray mask = manager.ones(new Shape(1, 1, 1, 4), DataType.BOOLEAN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.scaledDotProductAttention(q, q, q, mask, true));
        assertTrue(e.getMessage().contains("fold the causal rule into the mask"));
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> Kernels.scaledDotProductAttention(q, q, q, mask.toType(DataType.FLOAT32, false), false));
        assertTrue(wrongType.getMessage().contains("BOOLEAN"));
    }

    @Test
    void theVarlenKernelExplainsBadSequenceBoundaries() {
        NDArray x = randn(6, 2, 4);
        assertEquals("cuSeqlensQ must end at the number of packed tokens 6, ends at 5",
                assertThrows(IllegalArgumentException.class, () -> Kernels.flashAttentionVarlen(
                        x, x, x, manager.create(new int[] {0, 5}), manager.create(new int[] {0, 6}), 6, 6, false)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Kernels.flashAttentionVarlen(
                x, x, x, manager.create(new long[] {0, 6}), manager.create(new int[] {0, 6}), 6, 6, false))
                .getMessage().startsWith("cuSeqlensQ must be INT32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Kernels.flashAttentionVarlen(
                x.reshape(6, 8), x, x, manager.create(new int[] {0, 6}), manager.create(new int[] {0, 6}), 6, 6, false))
                .getMessage().startsWith("q must have 3 axes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Kernels.flashAttentionVarlen(
                x, x, x, manager.create(new int[] {0, 6}), manager.create(new int[] {0, 6}), 4, 6, false))
                .getMessage().contains("more than the max sequence length 4"));
    }

    @Test
    void withoutAGpuTheVarlenKernelNeverReachesTheCudaOnlyFlashKernel() {
        // On CPU tensors libtorch's flash kernel aborts the whole process (SIGABRT); the student API
        // must route CPU inputs to per-sequence SDPA, which the test above compares with the oracle.
        assertFalse(Kernels.cudaAvailable());
        NDArray x = randn(4, 1, 4);
        NDArray cu = manager.create(new int[] {0, 4});
        assertEquals(new Shape(4, 1, 4), Kernels.flashAttentionVarlen(x, x, x, cu, cu, 4, 4, true).getShape());
        assertArrayEquals(new int[] {0, 4}, cu.toIntArray());
    }
}
