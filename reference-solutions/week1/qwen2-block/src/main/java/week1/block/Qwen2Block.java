package week1.block;

import ai.djl.ndarray.NDArray;
import week1.gqa.Qwen2Attention;
import week1.mlp.Qwen2MLP;
import week1.mlp.RMSNorm;

/** The course's solution of week1/qwen2-block. Never shown to students. */
public final class Qwen2Block {

    private final RMSNorm inputNorm;
    private final Qwen2Attention attention;
    private final RMSNorm postAttentionNorm;
    private final Qwen2MLP mlp;

    public Qwen2Block(RMSNorm inputNorm, Qwen2Attention attention, RMSNorm postAttentionNorm, Qwen2MLP mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    public NDArray forward(NDArray x) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x)));
        return h.add(mlp.forward(postAttentionNorm.forward(h)));
    }
}
