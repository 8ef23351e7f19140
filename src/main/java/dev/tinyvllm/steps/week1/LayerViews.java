package dev.tinyvllm.steps.week1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.StudentClass;

/**
 * The student's week-1 layers as the later steps' checks call them: each constructor exactly as the
 * model step's code calls it, so a layer that a check builds is the layer the student's model builds.
 */
public final class LayerViews {

    private LayerViews() {}

    /** week1/rope's rotary embedding. */
    @StudentClass("week1.rope.RoPE")
    public interface Rope {
        @New
        Rope create(NDManager manager, int headDim, int maxSeqLen, double base, boolean traditional);

        NDArray apply(NDArray x, int offset);
    }

    /** week1/gqa's attention layer, holding its weights in Hugging Face's {@code [out, in]} layout. */
    @StudentClass("week1.gqa.Qwen2Attention")
    public interface Attention {
        @New
        Attention create(int hiddenSize, int numHeads, int numKvHeads, NDArray wq, NDArray bq, NDArray wk, NDArray bk,
                NDArray wv, NDArray bv, NDArray wo, int maxSeqLen, double ropeTheta);

        NDArray forward(NDArray x);
    }

    /** week1/rmsnorm-mlp's norm. */
    @StudentClass("week1.mlp.RMSNorm")
    public interface Norm {
        @New
        Norm create(NDArray weight, float eps);

        NDArray forward(NDArray x);
    }

    /** week1/rmsnorm-mlp's SwiGLU MLP. */
    @StudentClass("week1.mlp.Qwen2MLP")
    public interface Mlp {
        @New
        Mlp create(NDArray wGate, NDArray wUp, NDArray wDown);

        NDArray forward(NDArray x);
    }

    /** week1/qwen2-block's decoder block, made of the four layers above. */
    @StudentClass("week1.block.Qwen2Block")
    public interface Block {
        @New
        Block create(Norm inputNorm, Attention attention, Norm postAttentionNorm, Mlp mlp);

        NDArray forward(NDArray x);
    }
}
