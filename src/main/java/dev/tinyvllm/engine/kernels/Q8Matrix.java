package dev.tinyvllm.engine.kernels;

import java.util.stream.IntStream;

/**
 * 8-bit group-quantized weights: each row is cut into groups of {@link #GROUP} values that share one
 * float scale ({@code max|w| / 127}), and every value is stored as a signed byte. About 1.1 bytes per
 * weight instead of 4, at a relative error below half a percent of each group's largest value.
 */
public record Q8Matrix(byte[] quants, float[] scales, int rows, int cols) implements Matrix {

    /** Values per scale; a multiple of every vector width the kernels use. */
    public static final int GROUP = 32;

    public Q8Matrix {
        if ((long) rows * cols != quants.length || (long) rows * groupsPerRow(cols) != scales.length) {
            throw new IllegalArgumentException("q8 arrays do not match a " + rows + "x" + cols + " matrix");
        }
    }

    /** Groups in one row (the last one may be partial). */
    public static int groupsPerRow(int cols) {
        return (cols + GROUP - 1) / GROUP;
    }

    /** Quantizes float32 weights, rows in parallel. */
    public static Q8Matrix quantize(float[] values, int rows, int cols) {
        byte[] q = new byte[values.length];
        int groups = groupsPerRow(cols);
        float[] s = new float[rows * groups];
        IntStream.range(0, rows).parallel().forEach(r -> {
            for (int g = 0; g < groups; g++) {
                int start = r * cols + g * GROUP;
                int end = r * cols + Math.min(cols, (g + 1) * GROUP);
                float max = 0;
                for (int i = start; i < end; i++) {
                    max = Math.max(max, Math.abs(values[i]));
                }
                float scale = max / 127f;
                s[r * groups + g] = scale;
                float inv = scale == 0 ? 0 : 1 / scale;
                for (int i = start; i < end; i++) {
                    q[i] = (byte) Math.round(values[i] * inv);
                }
            }
        });
        return new Q8Matrix(q, s, rows, cols);
    }

    @Override
    public long bytes() {
        return quants.length + 4L * scales.length;
    }

    @Override
    public void row(int r, float[] out, int offset) {
        int groups = groupsPerRow(cols);
        for (int c = 0; c < cols; c++) {
            out[offset + c] = quants[r * cols + c] * scales[r * groups + c / GROUP];
        }
    }

    @Override
    public String format() {
        return "q8";
    }
}
