package week1.gqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Week 1: grouped-query attention. Read steps/week1/gqa/README.md first, then run
 * `tutor check week1/gqa` as you go.
 *
 * <p>Masks are BOOLEAN, and true means "this query may attend to this key", as in week1/attention.
 */
public final class GroupedAttention {

    private GroupedAttention() {}

    /**
     * The causal rule for queryLen new tokens that come after keyLen - queryLen earlier ones.
     *
     * @param manager where to create the mask
     * @return BOOLEAN [queryLen, keyLen]: true where query i may attend to key j, aligned to the
     *     bottom-right corner (the last query sees every key)
     */
    public static NDArray causalMask(NDManager manager, int queryLen, int keyLen) {
        throw new UnsupportedOperationException("causalMask is not implemented yet");
    }

    /**
     * Scaled dot-product attention where several query heads share one key/value head.
     *
     * @param q float32 [batch, numHeads, queryLen, headDim]
     * @param k float32 [batch, numKvHeads, keyLen, headDim]; numHeads is a multiple of numKvHeads
     * @param v float32 [batch, numKvHeads, keyLen, headDim]
     * @param mask null, or BOOLEAN broadcastable to [batch, numHeads, queryLen, keyLen]
     * @return float32 [batch, numHeads, queryLen, headDim]
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        throw new UnsupportedOperationException("attention is not implemented yet");
    }
}
