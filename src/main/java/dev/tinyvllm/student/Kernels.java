package dev.tinyvllm.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.torch.FusedKernels;

/**
 * Fused kernels your code may call. They are libtorch's own, reached through DJL.
 *
 * <p>The lesson around a fused kernel is the data layout: which axis holds the heads, what the mask
 * means, how a batch of different lengths is packed. The kernels check their inputs and say what is
 * wrong in terms of shapes, so a layout mistake fails loudly instead of computing something else.
 */
public final class Kernels {

    private Kernels() {}

    /**
     * Scaled dot-product attention, libtorch's {@code aten::scaled_dot_product_attention}.
     *
     * @param query {@code [..., L, E]} float32
     * @param key {@code [..., S, E]}
     * @param value {@code [..., S, Ev]}
     * @param attnMask null, or a BOOLEAN array broadcastable to {@code [..., L, S]}: true means the query
     *     may attend to that key
     * @param isCausal whether query i may only attend to keys j &lt;= i. Like PyTorch, it cannot be
     *     combined with an {@code attnMask}: put the causal rule into the mask yourself instead.
     * @return {@code [..., L, Ev]}; scores are scaled by {@code 1/sqrt(E)}, no dropout
     */
    public static NDArray scaledDotProductAttention(
            NDArray query, NDArray key, NDArray value, NDArray attnMask, boolean isCausal) {
        requireRankAtLeast("query", query, 2);
        requireRankAtLeast("key", key, 2);
        requireRankAtLeast("value", value, 2);
        Shape q = query.getShape();
        Shape k = key.getShape();
        if (q.get(q.dimension() - 1) != k.get(k.dimension() - 1)) {
            throw new IllegalArgumentException("query and key must end in the same size E: query "
                    + q + ", key " + k);
        }
        if (attnMask != null && isCausal) {
            throw new IllegalArgumentException(
                    "attnMask and isCausal=true cannot be combined (as in PyTorch): fold the causal rule into the mask");
        }
        if (attnMask != null && attnMask.getDataType() != DataType.BOOLEAN) {
            throw new IllegalArgumentException("attnMask must be BOOLEAN (true = attend), got "
                    + attnMask.getDataType());
        }
        return FusedKernels.sdpa(query, key, value, attnMask, isCausal);
    }

    /**
     * Variable-length attention over a packed batch, the interface of {@code flash_attn_varlen_func}.
     *
     * <p>On CUDA this is libtorch's flash kernel ({@code aten::_flash_attention_forward}, inputs cast to
     * bfloat16 and the result cast back). libtorch has no CPU flash kernel, so on CPU it runs the fused
     * SDPA kernel once per sequence: same results, same contract.
     *
     * @param q {@code [totalQ, heads, headDim]}: every sequence's tokens one after another, no padding
     * @param k {@code [totalK, heads, headDim]}
     * @param v {@code [totalK, heads, headDim]}
     * @param cuSeqlensQ INT32 {@code [batch + 1]}: sequence i is rows {@code cuSeqlensQ[i]} up to
     *     {@code cuSeqlensQ[i+1]} (exclusive); starts at 0, ends at totalQ
     * @param cuSeqlensK INT32 {@code [batch + 1]}, the same for keys and values
     * @param maxSeqlenQ the longest query sequence
     * @param maxSeqlenK the longest key sequence
     * @param causal whether a query may only attend to keys at or before its own position (aligned to
     *     the end when a sequence has more keys than queries)
     * @return {@code [totalQ, heads, headDim]}
     */
    public static NDArray flashAttentionVarlen(
            NDArray q, NDArray k, NDArray v, NDArray cuSeqlensQ, NDArray cuSeqlensK,
            int maxSeqlenQ, int maxSeqlenK, boolean causal) {
        requireRank("q", q, 3);
        requireRank("k", k, 3);
        requireRank("v", v, 3);
        int[] cuQ = cumulativeLengths("cuSeqlensQ", cuSeqlensQ, q.getShape().get(0), maxSeqlenQ);
        int[] cuK = cumulativeLengths("cuSeqlensK", cuSeqlensK, k.getShape().get(0), maxSeqlenK);
        if (cuQ.length != cuK.length) {
            throw new IllegalArgumentException("cuSeqlensQ and cuSeqlensK must describe the same number of sequences");
        }
        if (cudaAvailable() && q.getDevice().isGpu()) {
            NDArray out = FusedKernels.flashVarlen(
                    q.toType(DataType.BFLOAT16, false), k.toType(DataType.BFLOAT16, false),
                    v.toType(DataType.BFLOAT16, false), cuSeqlensQ, cuSeqlensK, maxSeqlenQ, maxSeqlenK, causal);
            return out.toType(q.getDataType(), false);
        }
        NDList pieces = new NDList();
        for (int s = 0; s + 1 < cuQ.length; s++) {
            NDIndex rowsQ = new NDIndex("{}:{}", cuQ[s], cuQ[s + 1]);
            NDIndex rowsK = new NDIndex("{}:{}", cuK[s], cuK[s + 1]);
            if (cuQ[s + 1] == cuQ[s]) {
                continue;
            }
            // [len, heads, dim] -> [heads, len, dim]: the kernel wants the sequence axis second to last.
            NDArray qs = q.get(rowsQ).transpose(1, 0, 2);
            NDArray ks = k.get(rowsK).transpose(1, 0, 2);
            NDArray vs = v.get(rowsK).transpose(1, 0, 2);
            NDArray mask = null;
            if (causal) {
                long lq = cuQ[s + 1] - cuQ[s];
                long lk = cuK[s + 1] - cuK[s];
                NDArray queryPos = q.getManager().arange(0, (int) lq, 1, DataType.INT64).reshape(lq, 1).add(lk - lq);
                NDArray keyPos = q.getManager().arange(0, (int) lk, 1, DataType.INT64).reshape(1, lk);
                mask = keyPos.lte(queryPos);
            }
            pieces.add(FusedKernels.sdpa(qs, ks, vs, mask, false).transpose(1, 0, 2));
        }
        return pieces.isEmpty() ? q.zerosLike() : NDArrays.concat(pieces, 0);
    }

    /** Whether libtorch sees a CUDA device (the flash kernel runs there). */
    public static boolean cudaAvailable() {
        return FusedKernels.cudaAvailable();
    }

    private static int[] cumulativeLengths(String name, NDArray cu, long total, int maxSeqlen) {
        if (cu == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (cu.getDataType() != DataType.INT32 || cu.getShape().dimension() != 1 || cu.getShape().get(0) < 2) {
            throw new IllegalArgumentException(name + " must be INT32 [batch + 1] with batch >= 1, got "
                    + cu.getDataType() + " " + cu.getShape());
        }
        int[] starts = cu.toIntArray();
        if (starts[0] != 0) {
            throw new IllegalArgumentException(name + " must start at 0, starts at " + starts[0]);
        }
        if (starts[starts.length - 1] != total) {
            throw new IllegalArgumentException(name + " must end at the number of packed tokens " + total
                    + ", ends at " + starts[starts.length - 1]);
        }
        for (int i = 1; i < starts.length; i++) {
            int length = starts[i] - starts[i - 1];
            if (length < 0) {
                throw new IllegalArgumentException(name + " must not decrease: " + java.util.Arrays.toString(starts));
            }
            if (length > maxSeqlen) {
                throw new IllegalArgumentException("sequence " + (i - 1) + " has " + length
                        + " tokens, more than the max sequence length " + maxSeqlen);
            }
        }
        return starts;
    }

    private static void requireRank(String name, NDArray array, int rank) {
        if (array == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (array.getShape().dimension() != rank) {
            throw new IllegalArgumentException(name + " must have " + rank + " axes, got " + array.getShape());
        }
    }

    private static void requireRankAtLeast(String name, NDArray array, int rank) {
        if (array == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (array.getShape().dimension() < rank) {
            throw new IllegalArgumentException(name + " must have at least " + rank + " axes, got " + array.getShape());
        }
    }
}
