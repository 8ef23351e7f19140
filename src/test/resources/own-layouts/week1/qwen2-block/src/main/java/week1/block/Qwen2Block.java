package week1.block;

import ai.djl.ndarray.NDArray;
import week1.gqa.Qwen2Attention;
import week1.mlp.Qwen2MLP;
import week1.mlp.RMSNorm;

/** A student's block: fields under their own names, the attention branch in a helper. */
public final class Qwen2Block {

    private final RMSNorm beforeAttention;
    private final Qwen2Attention mixer;
    private final RMSNorm beforeMlp;
    private final Qwen2MLP feedForward;

    public Qwen2Block(RMSNorm a, Qwen2Attention b, RMSNorm c, Qwen2MLP d) {
        beforeAttention = a;
        mixer = b;
        beforeMlp = c;
        feedForward = d;
    }

    public NDArray forward(NDArray stream) {
        NDArray afterAttention = stream.add(attend(stream));
        NDArray update = feedForward.forward(beforeMlp.forward(afterAttention));
        return afterAttention.add(update);
    }

    private NDArray attend(NDArray s) {
        return mixer.forward(beforeAttention.forward(s));
    }
}
