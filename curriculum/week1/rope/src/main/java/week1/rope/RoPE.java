package week1.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Week 1: rotary position embeddings. Read steps/week1/rope/README.md first, then run
 * `tutor check week1/rope` as you go.
 *
 * <p>Pair i of a head turns by the angle position * base^(-2i / headDim). Interleaved pairs
 * (traditional = true) are features (2i, 2i + 1); half-split pairs (traditional = false, Qwen2's
 * layout) are features (i, i + headDim / 2).
 */
public final class RoPE {

    /**
     * Prepares everything that does not depend on the input.
     *
     * @param manager where to create arrays that this object keeps
     * @param headDim the size of one head, even
     * @param maxSeqLen how many positions (0 .. maxSeqLen - 1) apply must support
     * @param base the base of the frequencies: 10000 in the original paper, 1000000 in Qwen2
     * @param traditional true for interleaved pairs, false for half-split pairs
     */
    public RoPE(NDManager manager, int headDim, int maxSeqLen, double base, boolean traditional) {
        throw new UnsupportedOperationException("the RoPE constructor is not implemented yet");
    }

    /**
     * Rotates every head of every token by the angles of the token's position.
     *
     * @param x float32 [batch, seqLen, numHeads, headDim]
     * @param offset the position of the first token: token t sits at position offset + t
     * @return float32, the same shape as x
     */
    public NDArray apply(NDArray x, int offset) {
        throw new UnsupportedOperationException("apply is not implemented yet");
    }
}
