package dev.tinyvllm.engine.kernels;

import dev.tinyvllm.model.DType;

/**
 * bfloat16 weights, half the bytes of float32, packed two to an int so that widening to float32 is one
 * shift or one mask per vector: for each run of 32 values of a row, int {@code i} holds value {@code i} in
 * its low half and value {@code 16 + i} in its high half. The last {@code cols % 32} values of a row are
 * packed in order, two per int.
 */
public record Bf16Matrix(int[] packed, int rows, int cols) implements Matrix {

    /** Values per packed run. */
    public static final int RUN = 32;

    public Bf16Matrix {
        if ((long) rows * rowInts(cols) != packed.length) {
            throw new IllegalArgumentException(packed.length + " ints for a " + rows + "x" + cols + " bf16 matrix");
        }
    }

    /** Ints per row. */
    public static int rowInts(int cols) {
        return (cols + 1) / 2;
    }

    /** Rounds float32 weights to bfloat16. */
    public static Bf16Matrix of(float[] values, int rows, int cols) {
        short[] bits = new short[values.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = DType.floatToBf16(values[i]);
        }
        return fromBits(bits, 0, rows, cols, new int[rows * rowInts(cols)], 0);
    }

    /**
     * Packs rows of bfloat16 bits ({@code bits[from ..]}, row-major) into {@code packed} starting at row
     * {@code firstRow}; returns a matrix over {@code packed} when it is complete.
     */
    public static Bf16Matrix fromBits(short[] bits, int from, int rows, int cols, int[] packed, int firstRow) {
        int stride = rowInts(cols);
        int full = cols / RUN;
        for (int r = 0; r < rows; r++) {
            int src = from + r * cols;
            int dst = (firstRow + r) * stride;
            for (int j = 0; j < full; j++) {
                for (int i = 0; i < RUN / 2; i++) {
                    int lo = bits[src + j * RUN + i] & 0xFFFF;
                    int hi = bits[src + j * RUN + RUN / 2 + i] & 0xFFFF;
                    packed[dst + j * (RUN / 2) + i] = lo | (hi << 16);
                }
            }
            for (int c = full * RUN, k = full * (RUN / 2); c < cols; c += 2, k++) {
                int lo = bits[src + c] & 0xFFFF;
                int hi = c + 1 < cols ? bits[src + c + 1] & 0xFFFF : 0;
                packed[dst + k] = lo | (hi << 16);
            }
        }
        return packed.length == (firstRow + rows) * stride ? new Bf16Matrix(packed, packed.length / stride, cols) : null;
    }

    /** The weight at row {@code r}, column {@code c}. */
    public float get(int r, int c) {
        int base = r * rowInts(cols);
        int full = cols / RUN;
        int j = c / RUN;
        int word;
        boolean high;
        if (j < full) {
            int i = c % RUN;
            word = packed[base + j * (RUN / 2) + i % (RUN / 2)];
            high = i >= RUN / 2;
        } else {
            int k = c - full * RUN;
            word = packed[base + full * (RUN / 2) + k / 2];
            high = (k & 1) == 1;
        }
        return Float.intBitsToFloat(high ? word & 0xFFFF0000 : word << 16);
    }

    @Override
    public long bytes() {
        return 4L * packed.length;
    }

    @Override
    public void row(int r, float[] out, int offset) {
        for (int c = 0; c < cols; c++) {
            out[offset + c] = get(r, c);
        }
    }

    @Override
    public String format() {
        return "bf16";
    }
}
