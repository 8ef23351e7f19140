package dev.tinyvllm.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every kernel path against a double-precision reference on the same (dequantized) weights, at sizes that
 * are not multiples of the vector width, the q8 group or the 4×4 tile; and the batch invariance the
 * engine relies on (a token's result does not depend on its neighbours, its tile or its thread).
 */
class KernelsTest {

    static final Parallel PARALLEL = new Parallel(3);
    static final Kernels VECTOR = Kernels.best(PARALLEL);
    static final Kernels SCALAR = new ScalarKernels(PARALLEL);

    static final List<Function<float[][], Matrix>> FORMATS = List.of(
            m -> new F32Matrix(m[0], (int) m[1][0], (int) m[1][1]),
            m -> Bf16Matrix.of(m[0], (int) m[1][0], (int) m[1][1]),
            m -> Q8Matrix.quantize(m[0], (int) m[1][0], (int) m[1][1]));

    @AfterAll
    static void close() {
        PARALLEL.close();
    }

    @Test
    void theVectorApiIsInUseUnderTheBuildsFlags() {
        assertTrue(VECTOR.name().startsWith("vector"), "surefire adds jdk.incubator.vector, got " + VECTOR.name());
    }

    @Test
    void matmulMatchesADoubleReferenceForEveryFormatAndOddSizes() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] sizes = {{1, 1, 1}, {3, 5, 2}, {4, 16, 4}, {7, 33, 5}, {13, 70, 9}, {67, 129, 9}, {130, 257, 37}, {5, 896, 16}};
        for (int[] s : sizes) {
            int rows = s[0];
            int cols = s[1];
            int tokens = s[2];
            float[] w = gaussian(r, rows * cols);
            float[] x = gaussian(r, tokens * cols);
            for (Function<float[][], Matrix> f : FORMATS) {
                Matrix m = f.apply(new float[][] {w, {rows, cols}});
                float[] dense = new float[rows * cols];
                for (int i = 0; i < rows; i++) {
                    m.row(i, dense, i * cols);
                }
                for (Kernels k : List.of(VECTOR, SCALAR)) {
                    float[] out = new float[tokens * rows];
                    k.matmul(m, x, tokens, out);
                    for (int t = 0; t < tokens; t++) {
                        for (int i = 0; i < rows; i++) {
                            double ref = 0;
                            double mag = 0;
                            for (int c = 0; c < cols; c++) {
                                ref += (double) dense[i * cols + c] * x[t * cols + c];
                                mag += Math.abs((double) dense[i * cols + c] * x[t * cols + c]);
                            }
                            assertEquals(ref, out[t * rows + i], 1e-5 * mag + 1e-6,
                                    k.name() + " " + m.format() + " " + rows + "x" + cols + " token " + t + " row " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aTokensResultIsBitIdenticalAloneOrInAnyBatch() {
        SplittableRandom r = new SplittableRandom(4);
        int rows = 75;
        int cols = 215; // 6 runs of 32 and a 23-value tail: the bf16 vector part ends before the float32 one would
        float[] w = gaussian(r, rows * cols);
        for (Function<float[][], Matrix> f : FORMATS) {
            Matrix m = f.apply(new float[][] {w, {rows, cols}});
            for (int tokens : new int[] {2, 5, 17, 40}) {
                float[] x = gaussian(r, tokens * cols);
                float[] batch = new float[tokens * rows];
                VECTOR.matmul(m, x, tokens, batch);
                for (int t = 0; t < tokens; t++) {
                    float[] one = new float[rows];
                    VECTOR.matmul(m, java.util.Arrays.copyOfRange(x, t * cols, (t + 1) * cols), 1, one);
                    assertArrayEquals(one, java.util.Arrays.copyOfRange(batch, t * rows, (t + 1) * rows),
                            m.format() + " token " + t + " of " + tokens);
                }
            }
        }
    }

    @Test
    void q8KeepsEachWeightWithinHalfAStepOfItsGroupScale() {
        SplittableRandom r = new SplittableRandom(5);
        int rows = 9;
        int cols = 77;
        float[] w = gaussian(r, rows * cols);
        Q8Matrix q = Q8Matrix.quantize(w, rows, cols);
        float[] back = new float[cols];
        for (int i = 0; i < rows; i++) {
            q.row(i, back, 0);
            for (int c = 0; c < cols; c++) {
                float scale = q.scales()[i * Q8Matrix.groupsPerRow(cols) + c / Q8Matrix.GROUP];
                assertEquals(w[i * cols + c], back[c], scale * 0.5001f);
            }
        }
        assertEquals(rows * cols + 4L * rows * 3, q.bytes(), "one byte per weight and a float per group of 32");
    }

    @Test
    void dotAndAxpyAgreeWithScalar() {
        SplittableRandom r = new SplittableRandom(6);
        for (int n : new int[] {1, 15, 16, 17, 64, 100}) {
            float[] a = gaussian(r, n + 3);
            float[] b = gaussian(r, n + 5);
            assertEquals(SCALAR.dot(a, 3, b, 5, n), VECTOR.dot(a, 3, b, 5, n), 1e-4);
            float[] y1 = gaussian(r, n + 2);
            float[] y2 = y1.clone();
            SCALAR.axpy(0.37f, a, 1, y1, 2, n);
            VECTOR.axpy(0.37f, a, 1, y2, 2, n);
            assertArrayEquals(y1, y2, 1e-5f);
        }
    }

    @Test
    void parallelLoopRunsEveryChunkOnceAndPropagatesFailures() {
        int[] hits = new int[1000];
        PARALLEL.forEach(hits.length, c -> hits[c]++);
        for (int h : hits) {
            assertEquals(1, h);
        }
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> PARALLEL.forEach(10, c -> {
                    if (c == 7) {
                        throw new IllegalStateException("chunk 7");
                    }
                }));
        assertEquals("chunk 7", e.getMessage());
    }

    static float[] gaussian(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian());
        }
        return a;
    }
}
