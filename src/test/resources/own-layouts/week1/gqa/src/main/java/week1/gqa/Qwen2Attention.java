package week1.gqa;

import ai.djl.ndarray.NDArray;
import week1.rope.RoPE;

/** A student's Qwen2 attention layer: weights under their own names, small instance helpers. */
public final class Qwen2Attention {

    private final int heads;
    private final int kvHeads;
    private final int size;
    private final NDArray qW;
    private final NDArray qB;
    private final NDArray kW;
    private final NDArray kB;
    private final NDArray vW;
    private final NDArray vB;
    private final NDArray outW;
    private final RoPE rotary;

    public Qwen2Attention(int hidden, int nHeads, int nKv, NDArray q, NDArray qBias, NDArray k, NDArray kBias,
            NDArray v, NDArray vBias, NDArray o, int positions, double theta) {
        heads = nHeads;
        kvHeads = nKv;
        size = hidden / nHeads;
        qW = q;
        qB = qBias;
        kW = k;
        kB = kBias;
        vW = v;
        vB = vBias;
        outW = o;
        rotary = new RoPE(q.getManager(), size, positions, theta, false);
    }

    public NDArray forward(NDArray hidden) {
        long b = hidden.getShape().get(0);
        long t = hidden.getShape().get(1);
        NDArray queries = this.split(project(hidden, qW, qB), b, t, heads);
        NDArray keys = this.split(project(hidden, kW, kB), b, t, kvHeads);
        NDArray values = this.split(project(hidden, vW, vB), b, t, kvHeads);
        queries = rotary.apply(queries, 0).swapAxes(1, 2);
        keys = rotary.apply(keys, 0).swapAxes(1, 2);
        values = values.swapAxes(1, 2);
        NDArray context = GroupedAttention.attention(queries, keys, values,
                GroupedAttention.causalMask(hidden.getManager(), (int) t, (int) t));
        NDArray merged = context.swapAxes(1, 2).reshape(b, t, (long) heads * size);
        return merged.matMul(outW.transpose());
    }

    private NDArray project(NDArray in, NDArray w, NDArray bias) {
        return in.matMul(w.transpose()).add(bias);
    }

    private NDArray split(NDArray in, long b, long t, int count) {
        return in.reshape(b, t, count, size);
    }
}
