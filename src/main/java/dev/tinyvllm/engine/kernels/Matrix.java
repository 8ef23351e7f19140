package dev.tinyvllm.engine.kernels;

/**
 * A weight matrix {@code [rows, cols]} in row-major order, in one of the engine's storage formats.
 * Each format keeps its data in plain heap arrays, which the Vector API reads the same way on JDK 17
 * and 25.
 */
public sealed interface Matrix permits F32Matrix, Bf16Matrix, Q8Matrix {

    int rows();

    int cols();

    /** Bytes a full pass over the matrix reads (what a decode step costs in memory traffic). */
    long bytes();

    /** Row {@code r} as floats into {@code out[offset ..]} (embedding lookups). */
    void row(int r, float[] out, int offset);

    /** The storage format's name: f32, bf16 or q8. */
    String format();
}
