package week1.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/** The course's solution of week1/rope. Never shown to students. */
public final class RoPE {

    private final int headDim;
    private final int maxSeqLen;
    private final boolean traditional;
    /** cos and sin of every (position, pair) angle, [maxSeqLen, headDim / 2]. */
    private final NDArray cos;
    private final NDArray sin;

    public RoPE(NDManager manager, int headDim, int maxSeqLen, double base, boolean traditional) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("headDim must be even, got " + headDim);
        }
        this.headDim = headDim;
        this.maxSeqLen = maxSeqLen;
        this.traditional = traditional;
        int half = headDim / 2;
        float[] cosTable = new float[maxSeqLen * half];
        float[] sinTable = new float[maxSeqLen * half];
        for (int pos = 0; pos < maxSeqLen; pos++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * Math.pow(base, -2.0 * i / headDim);
                cosTable[pos * half + i] = (float) Math.cos(angle);
                sinTable[pos * half + i] = (float) Math.sin(angle);
            }
        }
        cos = manager.create(cosTable, new Shape(maxSeqLen, half));
        sin = manager.create(sinTable, new Shape(maxSeqLen, half));
    }

    public NDArray apply(NDArray x, int offset) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long seqLen = shape.get(1);
        long heads = shape.get(2);
        int half = headDim / 2;
        if (offset < 0 || offset + seqLen > maxSeqLen) {
            throw new IllegalArgumentException("positions " + offset + " to " + (offset + seqLen - 1)
                    + " lie outside the table of " + maxSeqLen + " positions");
        }
        NDArray c = window(cos, offset, seqLen).reshape(1, seqLen, 1, half);
        NDArray s = window(sin, offset, seqLen).reshape(1, seqLen, 1, half);
        NDArray first;
        NDArray second;
        if (traditional) {
            NDArray pairs = x.reshape(batch, seqLen, heads, half, 2);
            first = pairs.get(new NDIndex("..., 0"));
            second = pairs.get(new NDIndex("..., 1"));
        } else {
            first = x.get(new NDIndex("..., :{}", half));
            second = x.get(new NDIndex("..., {}:", half));
        }
        NDArray rotatedFirst = first.mul(c).sub(second.mul(s));
        NDArray rotatedSecond = first.mul(s).add(second.mul(c));
        if (traditional) {
            return rotatedFirst.stack(rotatedSecond, -1).reshape(shape);
        }
        return rotatedFirst.concat(rotatedSecond, -1);
    }

    /** The table's rows for the positions offset .. offset + seqLen - 1. */
    private static NDArray window(NDArray table, int offset, long seqLen) {
        return table.get(new NDIndex("{}:{}", offset, offset + seqLen));
    }
}
