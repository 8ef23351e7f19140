package dev.tinyvllm.engine.kernels;

import dev.tinyvllm.model.DType;

/** bfloat16 weights: half the bytes of float32, widened to float32 inside the kernels. */
public record Bf16Matrix(short[] data, int rows, int cols) implements Matrix {

    public Bf16Matrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(data.length + " values for a " + rows + "x" + cols + " matrix");
        }
    }

    /** Rounds float32 weights to bfloat16. */
    public static Bf16Matrix of(float[] values, int rows, int cols) {
        short[] d = new short[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = DType.floatToBf16(values[i]);
        }
        return new Bf16Matrix(d, rows, cols);
    }

    @Override
    public long bytes() {
        return 2L * data.length;
    }

    @Override
    public void row(int r, float[] out, int offset) {
        int base = r * cols;
        for (int c = 0; c < cols; c++) {
            out[offset + c] = DType.bf16ToFloat(data[base + c]);
        }
    }

    @Override
    public String format() {
        return "bf16";
    }
}
