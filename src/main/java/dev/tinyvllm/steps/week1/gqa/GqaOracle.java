package dev.tinyvllm.steps.week1.gqa;

import dev.tinyvllm.steps.week1.rope.RopeMutation;
import dev.tinyvllm.steps.week1.rope.RopeOracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.oracle.LayerKernels;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Hidden reference grouped-query attention: libtorch's SDPA kernel with {@code enable_gqa} for the
 * correct result, an eager DJL composition for the mutated variants, and Qwen2's attention layer
 * (projections with bias, half-split RoPE on q and k, causal grouped attention, output projection).
 *
 * <p>Masks are BOOLEAN with true meaning "may attend", as everywhere in the course. The causal mask
 * for L queries and S keys is aligned to the bottom-right: query i is the token at position
 * {@code i + S - L} and sees keys {@code 0 .. i + S - L}.
 */
public final class GqaOracle {

    private GqaOracle() {}

    /** The weights of one Qwen2 attention layer, in Hugging Face's {@code [out, in]} layout. */
    public record AttentionWeights(int heads, int kvHeads, NDArray wq, NDArray bq, NDArray wk, NDArray bk,
            NDArray wv, NDArray bv, NDArray wo, double ropeTheta) {}

    /**
     * Which keys each query may see, flattened {@code [queryLen, keyLen]}.
     *
     * @param shift 0 for the contract; {@code queryLen - keyLen} gives PyTorch's top-left {@code is_causal},
     *     -1 hides the diagonal, +1 shows the next token
     */
    public static boolean[] causalPattern(int queryLen, int keyLen, int shift) {
        boolean[] allowed = new boolean[queryLen * keyLen];
        for (int i = 0; i < queryLen; i++) {
            for (int j = 0; j < keyLen; j++) {
                allowed[i * keyLen + j] = j <= i + keyLen - queryLen + shift;
            }
        }
        return allowed;
    }

    /** BOOLEAN {@code [queryLen, keyLen]}, bottom-right aligned. */
    public static NDArray causalMask(NDManager manager, int queryLen, int keyLen) {
        return manager.create(causalPattern(queryLen, keyLen, 0), new Shape(queryLen, keyLen));
    }

    /** libtorch's kernel: q {@code [B, Hq, L, D]}, k and v {@code [B, H, S, D]}; mask null or BOOLEAN. */
    public static NDArray grouped(NDArray q, NDArray k, NDArray v, NDArray mask) {
        return LayerKernels.groupedAttention(q, k, v, mask);
    }

    /** The eager composition, with mutations applied (none: equal to {@link #grouped}). */
    public static NDArray groupedEager(NDArray q, NDArray k, NDArray v, NDArray mask, Set<GqaMutation> mutations) {
        NDManager manager = q.getManager();
        int heads = (int) q.getShape().get(1);
        int kvHeads = (int) k.getShape().get(1);
        int dim = (int) q.getShape().get(3);
        long[] source = new long[heads];
        for (int h = 0; h < heads; h++) {
            source[h] = mutations.contains(GqaMutation.GROUPING_INTERLEAVED) ? h % kvHeads : h / (heads / kvHeads);
        }
        NDArray index = manager.create(source);
        NDArray kh = k.get(new NDIndex(":, {}", index));
        NDArray vh = v.get(new NDIndex(":, {}", index));
        NDArray scores = q.matMul(kh.swapAxes(-1, -2));
        if (!mutations.contains(GqaMutation.SCALE_MISSING)) {
            scores = scores.div(Math.sqrt(dim));
        }
        if (mask != null && !mutations.contains(GqaMutation.MASK_IGNORED)) {
            NDArray allowed = mutations.contains(GqaMutation.MASK_INVERTED) ? mask.logicalNot() : mask;
            // DJL's where does not broadcast: both sides take the scores' full shape.
            NDArray blocked = manager.full(scores.getShape(), Float.NEGATIVE_INFINITY, DataType.FLOAT32);
            scores = NDArrays.where(allowed.broadcast(scores.getShape()), scores, blocked);
        }
        return scores.softmax(-1).matMul(vh);
    }

    /**
     * Qwen2's attention layer on {@code x [B, L, hidden]}, causal, positions 0 .. L-1.
     *
     * @return {@code [B, L, hidden]}
     */
    public static NDArray qwen2Attention(NDArray x, AttentionWeights w, Set<GqaMutation> mutations) {
        long batch = x.getShape().get(0);
        int len = (int) x.getShape().get(1);
        int dim = (int) (w.wq().getShape().get(0) / w.heads());
        boolean bias = !mutations.contains(GqaMutation.BIAS_MISSING);
        NDArray q = LayerKernels.linear(x, w.wq(), bias ? w.bq() : null).reshape(batch, len, w.heads(), dim);
        NDArray k = LayerKernels.linear(x, w.wk(), bias ? w.bk() : null).reshape(batch, len, w.kvHeads(), dim);
        NDArray v = LayerKernels.linear(x, w.wv(), bias ? w.bv() : null).reshape(batch, len, w.kvHeads(), dim);
        if (!mutations.contains(GqaMutation.ROPE_MISSING)) {
            boolean interleaved = mutations.contains(GqaMutation.ROPE_INTERLEAVED);
            Set<RopeMutation> none = EnumSet.noneOf(RopeMutation.class);
            q = RopeOracle.apply(q, w.ropeTheta(), interleaved, 0, none);
            k = RopeOracle.apply(k, w.ropeTheta(), interleaved, 0, none);
            if (mutations.contains(GqaMutation.ROPE_ON_V)) {
                v = RopeOracle.apply(v, w.ropeTheta(), interleaved, 0, none);
            }
        }
        q = q.transpose(0, 2, 1, 3);
        k = k.transpose(0, 2, 1, 3);
        v = v.transpose(0, 2, 1, 3);
        NDArray mask = mutations.contains(GqaMutation.CAUSAL_MISSING) ? null : causalMask(x.getManager(), len, len);
        Set<GqaMutation> inAttention = EnumSet.noneOf(GqaMutation.class);
        for (GqaMutation m : List.of(GqaMutation.GROUPING_INTERLEAVED, GqaMutation.MASK_INVERTED, GqaMutation.SCALE_MISSING)) {
            if (mutations.contains(m)) {
                inAttention.add(m);
            }
        }
        NDArray context = inAttention.isEmpty() ? grouped(q, k, v, mask) : groupedEager(q, k, v, mask, inAttention);
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, len, (long) w.heads() * dim);
        return LayerKernels.linear(merged, w.wo(), null);
    }
}
