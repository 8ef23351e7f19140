package week1.mlp;

import ai.djl.ndarray.NDArray;

/**
 * Week 1: root-mean-square normalisation. Read steps/week1/rmsnorm-mlp/README.md first, then run
 * `tutor check week1/rmsnorm-mlp` as you go.
 */
public final class RMSNorm {

    /**
     * @param weight [dim], one scale per feature, of the same type as the inputs forward will get
     * @param eps added to the mean of squares, inside the square root, so that a zero row divides by sqrt(eps)
     */
    public RMSNorm(NDArray weight, float eps) {
        throw new UnsupportedOperationException("the RMSNorm constructor is not implemented yet");
    }

    /**
     * Normalises every token's vector by its root mean square, then scales each feature by its weight.
     *
     * @param x [..., dim], float32 or float16; the mean of squares is computed in float32 either way
     * @return the same shape and type as x
     */
    public NDArray forward(NDArray x) {
        throw new UnsupportedOperationException("forward is not implemented yet");
    }
}
