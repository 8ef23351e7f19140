package week1.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** A student's RoPE: plain loops over the numbers, the angles worked out again on every call. */
public final class RoPE {

    private final int size;
    private final double theta;
    private final boolean neighbours;

    public RoPE(NDManager m, int d, int n, double b, boolean interleaved) {
        size = d;
        theta = b;
        neighbours = interleaved;
    }

    public NDArray apply(NDArray input, int start) {
        float[] in = input.toFloatArray();
        float[] out = new float[in.length];
        long[] dims = input.getShape().getShape();
        int tokens = (int) dims[1];
        int heads = (int) dims[2];
        int rows = in.length / size;
        for (int r = 0; r < rows; r++) {
            int pos = start + (r / heads) % tokens;
            for (int p = 0; p < size / 2; p++) {
                double angle = pos * Math.pow(theta, -2.0 * p / size);
                double c = Math.cos(angle);
                double s = Math.sin(angle);
                int a = neighbours ? 2 * p : p;
                int b = neighbours ? 2 * p + 1 : p + size / 2;
                float u = in[r * size + a];
                float v = in[r * size + b];
                out[r * size + a] = (float) (u * c - v * s);
                out[r * size + b] = (float) (u * s + v * c);
            }
        }
        return input.getManager().create(out, input.getShape());
    }
}
