package week1.mlp;

import ai.djl.ndarray.NDArray;

/** A student's MLP: weights transposed once, the sigmoid written out, the up projection in a helper. */
public final class Qwen2MLP {

    private final NDArray gateT;
    private final NDArray upT;
    private final NDArray downT;

    public Qwen2MLP(NDArray g, NDArray u, NDArray d) {
        gateT = g.transpose();
        upT = u.transpose();
        downT = d.transpose();
    }

    public NDArray forward(NDArray x) {
        NDArray g = x.matMul(gateT);
        NDArray activated = g.mul(logistic(g));
        return activated.mul(up(x)).matMul(downT);
    }

    private NDArray up(NDArray x) {
        return x.matMul(upT);
    }

    private static NDArray logistic(NDArray z) {
        return z.neg().exp().add(1).pow(-1);
    }
}
