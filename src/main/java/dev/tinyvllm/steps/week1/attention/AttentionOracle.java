package dev.tinyvllm.steps.week1.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.torch.FusedKernels;
import java.util.Set;

/**
 * Hidden reference attention on libtorch: the eager composition (also in every mutated variant),
 * the fused SDPA kernel, and varlen attention (per-sequence SDPA on CPU, the flash kernel on CUDA).
 *
 * <p>Layouts follow the exercise: padded {@code [batch, seqLen, heads*dim]} with a boolean key mask
 * {@code [batch, seqLen]} (true = attend), or packed {@code [tokens, heads*dim]} with cumulative
 * sequence starts.
 */
public final class AttentionOracle {

    private AttentionOracle() {}

    /** Eager attention with the given mutations applied (none: the correct result). */
    public static NDArray eager(NDArray q, NDArray k, NDArray v, int heads, int dim, NDArray mask,
            boolean causal, Set<AttentionMutation> mutations) {
        NDManager manager = q.getManager();
        long batch = q.getShape().get(0);
        long len = q.getShape().get(1);
        NDArray qh = split(q, heads, dim, mutations);
        NDArray kh = split(k, heads, dim, mutations);
        NDArray vh = split(v, heads, dim, mutations);
        NDArray scores = qh.matMul(kh.swapAxes(-1, -2)).mul(scale(dim, mutations));

        NDArray allowed = manager.ones(new Shape(1, 1, len, len), DataType.BOOLEAN);
        if (mask != null && !mutations.contains(AttentionMutation.MASK_IGNORED)) {
            NDArray keys = mutations.contains(AttentionMutation.MASK_INVERTED) ? mask.logicalNot() : mask;
            allowed = allowed.logicalAnd(keys.reshape(batch, 1, 1, len));
        }
        if (causal && !mutations.contains(AttentionMutation.CAUSAL_MISSING)) {
            long reach = mutations.contains(AttentionMutation.CAUSAL_EXCLUDES_SELF) ? -1
                    : mutations.contains(AttentionMutation.CAUSAL_SEES_NEXT) ? 1 : 0;
            NDArray row = manager.arange(0, (int) len, 1, DataType.INT64).reshape(len, 1);
            NDArray col = manager.arange(0, (int) len, 1, DataType.INT64).reshape(1, len);
            allowed = allowed.logicalAnd(col.lte(row.add(reach)));
        }
        // DJL's where does not broadcast: both sides take the scores' full shape.
        NDArray minusInf = manager.full(scores.getShape(), Float.NEGATIVE_INFINITY, DataType.FLOAT32);
        scores = NDArrays.where(allowed.broadcast(scores.getShape()), scores, minusInf);
        int axis = mutations.contains(AttentionMutation.SOFTMAX_WRONG_AXIS) ? -2 : -1;
        NDArray context = scores.softmax(axis).matMul(vh);
        if (mutations.contains(AttentionMutation.HEADS_MERGED_WRONG)) {
            return context.reshape(batch, len, (long) heads * dim);
        }
        return context.transpose(0, 2, 1, 3).reshape(batch, len, (long) heads * dim);
    }

    /** The fused SDPA kernel on the padded layout. */
    public static NDArray sdpa(NDArray q, NDArray k, NDArray v, int heads, int dim, NDArray mask, boolean causal) {
        NDManager manager = q.getManager();
        long batch = q.getShape().get(0);
        long len = q.getShape().get(1);
        Set<AttentionMutation> none = Set.of();
        NDArray qh = split(q, heads, dim, none);
        NDArray kh = split(k, heads, dim, none);
        NDArray vh = split(v, heads, dim, none);
        NDArray context;
        if (mask == null) {
            context = FusedKernels.sdpa(qh, kh, vh, null, causal);
        } else {
            NDArray allowed = mask.reshape(batch, 1, 1, len);
            if (causal) {
                NDArray row = manager.arange(0, (int) len, 1, DataType.INT64).reshape(len, 1);
                NDArray col = manager.arange(0, (int) len, 1, DataType.INT64).reshape(1, len);
                allowed = allowed.logicalAnd(col.lte(row));
            }
            context = FusedKernels.sdpa(qh, kh, vh, allowed, false);
        }
        return context.transpose(0, 2, 1, 3).reshape(batch, len, (long) heads * dim);
    }

    /** Varlen attention on CPU: the fused SDPA kernel once per sequence of the packed batch. */
    public static NDArray varlen(NDArray q, NDArray k, NDArray v, int heads, int dim, int[] cuSeqlens,
            boolean causal) {
        NDList pieces = new NDList();
        for (int s = 0; s + 1 < cuSeqlens.length; s++) {
            int len = cuSeqlens[s + 1] - cuSeqlens[s];
            NDIndex rows = new NDIndex("{}:{}", cuSeqlens[s], cuSeqlens[s + 1]);
            NDArray qs = q.get(rows).reshape(1, len, heads, dim).transpose(0, 2, 1, 3);
            NDArray ks = k.get(rows).reshape(1, len, heads, dim).transpose(0, 2, 1, 3);
            NDArray vs = v.get(rows).reshape(1, len, heads, dim).transpose(0, 2, 1, 3);
            NDArray out = FusedKernels.sdpa(qs, ks, vs, null, causal);
            pieces.add(out.transpose(0, 2, 1, 3).reshape(len, (long) heads * dim));
        }
        return NDArrays.concat(pieces, 0);
    }

    /** Varlen attention by the eager composition, per sequence, with mutations. */
    public static NDArray varlenEager(NDArray q, NDArray k, NDArray v, int heads, int dim, int[] cuSeqlens,
            boolean causal, Set<AttentionMutation> mutations) {
        long tokens = q.getShape().get(0);
        long width = q.getShape().get(1);
        if (mutations.contains(AttentionMutation.VARLEN_CROSSES_SEQUENCES)) {
            return eager(q.reshape(1, tokens, width), k.reshape(1, tokens, width), v.reshape(1, tokens, width),
                    heads, dim, null, causal, mutations).reshape(tokens, width);
        }
        NDList pieces = new NDList();
        for (int s = 0; s + 1 < cuSeqlens.length; s++) {
            int len = cuSeqlens[s + 1] - cuSeqlens[s];
            NDIndex rows = new NDIndex("{}:{}", cuSeqlens[s], cuSeqlens[s + 1]);
            pieces.add(eager(q.get(rows).reshape(1, len, width), k.get(rows).reshape(1, len, width),
                    v.get(rows).reshape(1, len, width), heads, dim, null, causal, mutations).reshape(len, width));
        }
        return NDArrays.concat(pieces, 0);
    }

    /**
     * libtorch's varlen flash kernel (CUDA only). Inputs go in as bfloat16, the kernel's input type;
     * the result comes back as float32.
     */
    public static NDArray flashCuda(NDArray q, NDArray k, NDArray v, int heads, int dim, NDArray cuSeqlens,
            int maxSeqlen, boolean causal) {
        long tokens = q.getShape().get(0);
        NDArray out = FusedKernels.flashVarlen(
                q.reshape(tokens, heads, dim).toType(DataType.BFLOAT16, false),
                k.reshape(tokens, heads, dim).toType(DataType.BFLOAT16, false),
                v.reshape(tokens, heads, dim).toType(DataType.BFLOAT16, false),
                cuSeqlens, cuSeqlens, maxSeqlen, maxSeqlen, causal);
        return out.toType(DataType.FLOAT32, false).reshape(tokens, (long) heads * dim);
    }

    private static NDArray split(NDArray x, int heads, int dim, Set<AttentionMutation> mutations) {
        long batch = x.getShape().get(0);
        long len = x.getShape().get(1);
        if (mutations.contains(AttentionMutation.HEADS_NOT_TRANSPOSED)) {
            return x.reshape(batch, heads, len, dim);
        }
        return x.reshape(batch, len, heads, dim).transpose(0, 2, 1, 3);
    }

    private static double scale(int dim, Set<AttentionMutation> mutations) {
        if (mutations.contains(AttentionMutation.SCALE_MISSING)) {
            return 1.0;
        }
        if (mutations.contains(AttentionMutation.SCALE_BY_HEAD_DIM)) {
            return 1.0 / dim;
        }
        if (mutations.contains(AttentionMutation.SCALE_MULTIPLIED)) {
            return Math.sqrt(dim);
        }
        return 1.0 / Math.sqrt(dim);
    }
}
