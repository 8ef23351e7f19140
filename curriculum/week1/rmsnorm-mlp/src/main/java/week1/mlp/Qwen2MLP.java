package week1.mlp;

import ai.djl.ndarray.NDArray;

/**
 * Week 1: the feed-forward part of a Qwen2 block, a gated MLP with the SiLU activation (SwiGLU).
 * Weights use Hugging Face's layout, [outFeatures, inFeatures], and there are no biases.
 */
public final class Qwen2MLP {

    /**
     * @param wGate [intermediate, dim], the gate projection (gate_proj)
     * @param wUp [intermediate, dim], the up projection (up_proj)
     * @param wDown [dim, intermediate], the down projection (down_proj)
     */
    public Qwen2MLP(NDArray wGate, NDArray wUp, NDArray wDown) {
        throw new UnsupportedOperationException("the Qwen2MLP constructor is not implemented yet");
    }

    /**
     * @param x float32 [..., dim]
     * @return float32 [..., dim]
     */
    public NDArray forward(NDArray x) {
        throw new UnsupportedOperationException("forward is not implemented yet");
    }
}
