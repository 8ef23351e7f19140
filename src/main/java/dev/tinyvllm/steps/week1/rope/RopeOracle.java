package dev.tinyvllm.steps.week1.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Set;

/**
 * Hidden reference rotary embeddings. libtorch has no RoPE kernel, so this is a DJL composition: the
 * angles are computed in double on the Java side (as a careful implementation precomputes its table),
 * then every number is rotated with its partner as {@code x * cos + partner(x) * sin}.
 *
 * <p>Layout: {@code x} is {@code [batch, seqLen, heads, headDim]}; the token at index t has position
 * {@code offset + t}; pair i turns by {@code position * base^(-2i/headDim)}. Interleaved pairs are
 * {@code (2i, 2i+1)}; half-split pairs (Qwen2) are {@code (i, i + headDim/2)}.
 */
public final class RopeOracle {

    private static final double DEFAULT_BASE = 10_000;

    private RopeOracle() {}

    /** RoPE with the given mutations applied (none: the correct result). */
    public static NDArray apply(NDArray x, double base, boolean traditional, int offset, Set<RopeMutation> mutations) {
        Shape shape = x.getShape();
        int len = (int) shape.get(1);
        int dim = (int) shape.get(3);
        boolean pairsInterleaved = traditional != mutations.contains(RopeMutation.LAYOUT_SWAPPED);
        boolean tableInterleaved = pairsInterleaved != mutations.contains(RopeMutation.ANGLES_FOR_OTHER_LAYOUT);
        double[][] angles = angles(len, dim, base, tableInterleaved, offset, mutations);
        float[] cos = new float[len * dim];
        float[] sin = new float[len * dim];
        double sign = mutations.contains(RopeMutation.ROTATION_REVERSED) ? -1 : 1;
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < dim; d++) {
                cos[t * dim + d] = (float) Math.cos(angles[t][d]);
                sin[t * dim + d] = (float) (sign * Math.sin(angles[t][d]));
            }
        }
        NDManager manager = x.getManager();
        NDArray cosTable = manager.create(cos, new Shape(1, len, 1, dim));
        NDArray sinTable = manager.create(sin, new Shape(1, len, 1, dim));
        return x.mul(cosTable).add(partner(x, pairsInterleaved).mul(sinTable));
    }

    /**
     * The same computation in plain double arithmetic, for the hand-checkable case: no tensor library
     * between the formula and the numbers.
     *
     * @param x {@code [batch, seqLen, heads, headDim]} flattened
     */
    public static double[] byHand(float[] x, int batch, int len, int heads, int dim, double base, boolean traditional,
            int offset) {
        double[] out = new double[x.length];
        int half = dim / 2;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                for (int h = 0; h < heads; h++) {
                    int row = ((b * len + t) * heads + h) * dim;
                    for (int i = 0; i < half; i++) {
                        double angle = (offset + t) * Math.pow(base, -2.0 * i / dim);
                        int first = traditional ? row + 2 * i : row + i;
                        int second = traditional ? row + 2 * i + 1 : row + i + half;
                        out[first] = x[first] * Math.cos(angle) - x[second] * Math.sin(angle);
                        out[second] = x[second] * Math.cos(angle) + x[first] * Math.sin(angle);
                    }
                }
            }
        }
        return out;
    }

    /** Angle of every (token, feature): feature d belongs to pair d/2 (interleaved) or d mod D/2 (half-split). */
    private static double[][] angles(int len, int dim, double base, boolean interleaved, int offset,
            Set<RopeMutation> mutations) {
        double theta = mutations.contains(RopeMutation.BASE_IGNORED) ? DEFAULT_BASE : base;
        double exponent = mutations.contains(RopeMutation.EXPONENT_WITHOUT_TWO) ? 1 : 2;
        int first = mutations.contains(RopeMutation.OFFSET_IGNORED) ? 0 : offset;
        if (mutations.contains(RopeMutation.POSITIONS_FROM_ONE)) {
            first += 1;
        }
        double[][] angles = new double[len][dim];
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < dim; d++) {
                int pair = interleaved ? d / 2 : d % (dim / 2);
                angles[t][d] = (first + t) * Math.pow(theta, -exponent * pair / dim);
            }
        }
        return angles;
    }

    /** The number each feature is rotated with, with the sign of the rotation: (-x2, x1) per pair. */
    private static NDArray partner(NDArray x, boolean interleaved) {
        Shape shape = x.getShape();
        long dim = shape.get(3);
        if (interleaved) {
            NDArray pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), dim / 2, 2);
            NDArray even = pairs.get(new NDIndex("..., 0"));
            NDArray odd = pairs.get(new NDIndex("..., 1"));
            return odd.neg().stack(even, -1).reshape(shape);
        }
        NDArray first = x.get(new NDIndex("..., :{}", dim / 2));
        NDArray second = x.get(new NDIndex("..., {}:", dim / 2));
        return second.neg().concat(first, -1);
    }
}
