package week1.gqa;

import ai.djl.ndarray.NDArray;
import week1.rope.RoPE;

/** The course's solution of week1/gqa, Qwen2's attention layer. Never shown to students. */
public final class Qwen2Attention {

    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final NDArray wq;
    private final NDArray bq;
    private final NDArray wk;
    private final NDArray bk;
    private final NDArray wv;
    private final NDArray bv;
    private final NDArray wo;
    private final RoPE rope;

    public Qwen2Attention(int hiddenSize, int numHeads, int numKvHeads, NDArray wq, NDArray bq, NDArray wk,
            NDArray bk, NDArray wv, NDArray bv, NDArray wo, int maxSeqLen, double ropeTheta) {
        if (hiddenSize % numHeads != 0 || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("hiddenSize " + hiddenSize + ", " + numHeads + " heads and "
                    + numKvHeads + " key/value heads do not divide evenly");
        }
        this.numHeads = numHeads;
        this.numKvHeads = numKvHeads;
        this.headDim = hiddenSize / numHeads;
        this.wq = wq;
        this.bq = bq;
        this.wk = wk;
        this.bk = bk;
        this.wv = wv;
        this.bv = bv;
        this.wo = wo;
        this.rope = new RoPE(wq.getManager(), headDim, maxSeqLen, ropeTheta, false);
    }

    public NDArray forward(NDArray x) {
        long batch = x.getShape().get(0);
        long len = x.getShape().get(1);
        NDArray q = linear(x, wq, bq).reshape(batch, len, numHeads, headDim);
        NDArray k = linear(x, wk, bk).reshape(batch, len, numKvHeads, headDim);
        NDArray v = linear(x, wv, bv).reshape(batch, len, numKvHeads, headDim);
        q = rope.apply(q, 0).transpose(0, 2, 1, 3);
        k = rope.apply(k, 0).transpose(0, 2, 1, 3);
        v = v.transpose(0, 2, 1, 3);
        NDArray mask = GroupedAttention.causalMask(x.getManager(), (int) len, (int) len);
        NDArray context = GroupedAttention.attention(q, k, v, mask);
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, len, (long) numHeads * headDim);
        return linear(merged, wo, null);
    }

    /** x times the transpose of w [out, in], plus b when there is one. */
    private static NDArray linear(NDArray x, NDArray w, NDArray b) {
        NDArray y = x.matMul(w.transpose());
        return b == null ? y : y.add(b);
    }
}
