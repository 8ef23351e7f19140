package dev.tinyvllm.engine;

/**
 * Rotary position embedding in Qwen2's "rotate half" form: dimension {@code i} of a head turns together
 * with dimension {@code i + d/2} by the angle {@code position · θ^(-2i/d)}. Angles are computed in float32
 * like Transformers does, and the cos/sin table grows on demand.
 */
public final class Rope {

    private final int half;
    private final float[] invFreq;
    private float[] cos = new float[0];
    private float[] sin = new float[0];
    private int positions;

    public Rope(int headDim, double theta) {
        this.half = headDim / 2;
        this.invFreq = new float[half];
        for (int i = 0; i < half; i++) {
            invFreq[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
        }
    }

    private synchronized void ensure(int upTo) {
        if (upTo <= positions) {
            return;
        }
        int n = Math.max(upTo, Math.max(256, positions * 2));
        float[] c = java.util.Arrays.copyOf(cos, n * half);
        float[] s = java.util.Arrays.copyOf(sin, n * half);
        for (int p = positions; p < n; p++) {
            for (int i = 0; i < half; i++) {
                float angle = p * invFreq[i];
                c[p * half + i] = (float) Math.cos(angle);
                s[p * half + i] = (float) Math.sin(angle);
            }
        }
        cos = c;
        sin = s;
        positions = n;
    }

    /** Rotates {@code heads} consecutive heads of width {@code 2·half} starting at {@code offset}. */
    public void apply(float[] x, int offset, int heads, int position) {
        ensure(position + 1);
        float[] c = cos;
        float[] s = sin;
        int base = position * half;
        for (int h = 0; h < heads; h++) {
            int o = offset + h * 2 * half;
            for (int i = 0; i < half; i++) {
                float x1 = x[o + i];
                float x2 = x[o + half + i];
                float ci = c[base + i];
                float si = s[base + i];
                x[o + i] = x1 * ci - x2 * si;
                x[o + half + i] = x2 * ci + x1 * si;
            }
        }
    }
}
