package week1.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.student.Kernels;

/** The course's solution of week1/attention. Never shown to students. */
public final class Attention {

    private Attention() {}

    public static NDArray eagerBidirectional(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask) {
        return eager(q, k, v, numHeads, headDim, mask, false);
    }

    public static NDArray eagerCausal(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask) {
        return eager(q, k, v, numHeads, headDim, mask, true);
    }

    public static NDArray sdpaBidirectional(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask) {
        return sdpa(q, k, v, numHeads, headDim, mask, false);
    }

    public static NDArray sdpaCausal(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask) {
        return sdpa(q, k, v, numHeads, headDim, mask, true);
    }

    public static NDArray flashBidirectional(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray cuSeqlens, int maxSeqlen) {
        return flash(q, k, v, numHeads, headDim, cuSeqlens, maxSeqlen, false);
    }

    public static NDArray flashCausal(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray cuSeqlens, int maxSeqlen) {
        return flash(q, k, v, numHeads, headDim, cuSeqlens, maxSeqlen, true);
    }

    private static NDArray eager(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask, boolean causal) {
        long batch = q.getShape().get(0);
        long seqLen = q.getShape().get(1);
        NDArray qh = splitHeads(q, numHeads, headDim);
        NDArray kh = splitHeads(k, numHeads, headDim);
        NDArray vh = splitHeads(v, numHeads, headDim);
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
        scores = scores.div(Math.sqrt(headDim));
        NDArray allowed = attendMask(q.getManager(), batch, seqLen, mask, causal);
        if (allowed != null) {
            // NDArrays.where does not broadcast: give the mask and the fill the scores' shape.
            NDArray blocked = q.getManager().full(scores.getShape(), Float.NEGATIVE_INFINITY);
            scores = NDArrays.where(allowed.broadcast(scores.getShape()), scores, blocked);
        }
        NDArray weights = scores.softmax(-1);
        NDArray context = weights.matMul(vh);
        return mergeHeads(context, numHeads, headDim);
    }

    private static NDArray sdpa(
            NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask, boolean causal) {
        long batch = q.getShape().get(0);
        long seqLen = q.getShape().get(1);
        NDArray qh = splitHeads(q, numHeads, headDim);
        NDArray kh = splitHeads(k, numHeads, headDim);
        NDArray vh = splitHeads(v, numHeads, headDim);
        NDArray context;
        if (mask == null) {
            context = Kernels.scaledDotProductAttention(qh, kh, vh, null, causal);
        } else {
            // The kernel refuses a mask together with isCausal, so the causal rule joins the mask.
            NDArray allowed = attendMask(q.getManager(), batch, seqLen, mask, causal);
            context = Kernels.scaledDotProductAttention(qh, kh, vh, allowed, false);
        }
        return mergeHeads(context, numHeads, headDim);
    }

    private static NDArray flash(NDArray q, NDArray k, NDArray v, int numHeads, int headDim,
            NDArray cuSeqlens, int maxSeqlen, boolean causal) {
        long tokens = q.getShape().get(0);
        NDArray qt = q.reshape(tokens, numHeads, headDim);
        NDArray kt = k.reshape(tokens, numHeads, headDim);
        NDArray vt = v.reshape(tokens, numHeads, headDim);
        NDArray out = Kernels.flashAttentionVarlen(qt, kt, vt, cuSeqlens, cuSeqlens, maxSeqlen, maxSeqlen, causal);
        return out.reshape(tokens, (long) numHeads * headDim);
    }

    /** [batch, seqLen, heads * dim] -> [batch, heads, seqLen, dim]. */
    private static NDArray splitHeads(NDArray x, int numHeads, int headDim) {
        long batch = x.getShape().get(0);
        long seqLen = x.getShape().get(1);
        return x.reshape(batch, seqLen, numHeads, headDim).transpose(0, 2, 1, 3);
    }

    /** [batch, heads, seqLen, dim] -> [batch, seqLen, heads * dim]. */
    private static NDArray mergeHeads(NDArray x, int numHeads, int headDim) {
        long batch = x.getShape().get(0);
        long seqLen = x.getShape().get(2);
        return x.transpose(0, 2, 1, 3).reshape(batch, seqLen, (long) numHeads * headDim);
    }

    /** True where query i may attend key j, broadcastable to [batch, heads, seqLen, seqLen]; null if all may. */
    private static NDArray attendMask(NDManager manager, long batch, long seqLen, NDArray mask, boolean causal) {
        NDArray allowed = null;
        if (mask != null) {
            allowed = mask.reshape(batch, 1, 1, seqLen);
        }
        if (causal) {
            NDArray rows = manager.arange(0, (int) seqLen, 1, DataType.INT64).reshape(seqLen, 1);
            NDArray cols = manager.arange(0, (int) seqLen, 1, DataType.INT64).reshape(1, seqLen);
            NDArray lower = cols.lte(rows);
            allowed = allowed == null ? lower : allowed.logicalAnd(lower);
        }
        return allowed;
    }
}
