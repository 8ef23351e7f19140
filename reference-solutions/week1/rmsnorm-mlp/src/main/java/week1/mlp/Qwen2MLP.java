package week1.mlp;

import ai.djl.ndarray.NDArray;

/** The course's solution of week1/rmsnorm-mlp, the SwiGLU MLP. Never shown to students. */
public final class Qwen2MLP {

    private final NDArray wGate;
    private final NDArray wUp;
    private final NDArray wDown;

    public Qwen2MLP(NDArray wGate, NDArray wUp, NDArray wDown) {
        this.wGate = wGate;
        this.wUp = wUp;
        this.wDown = wDown;
    }

    public NDArray forward(NDArray x) {
        NDArray gate = linear(x, wGate);
        NDArray up = linear(x, wUp);
        return linear(silu(gate).mul(up), wDown);
    }

    /** x times the logistic sigmoid of x, written as x / (1 + e^-x). */
    private static NDArray silu(NDArray x) {
        return x.div(x.neg().exp().add(1));
    }

    private static NDArray linear(NDArray x, NDArray w) {
        return x.matMul(w.transpose());
    }
}
