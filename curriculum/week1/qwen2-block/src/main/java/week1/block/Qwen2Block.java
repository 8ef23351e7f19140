package week1.block;

import ai.djl.ndarray.NDArray;
import week1.gqa.Qwen2Attention;
import week1.mlp.Qwen2MLP;
import week1.mlp.RMSNorm;

/**
 * Week 1: one Qwen2 decoder layer, made of the parts you built in week1/gqa and week1/rmsnorm-mlp.
 * Read steps/week1/qwen2-block/README.md first, then run `tutor check week1/qwen2-block`.
 */
public final class Qwen2Block {

    /**
     * @param inputNorm the norm in front of the attention (input_layernorm)
     * @param attention the layer's attention (self_attn)
     * @param postAttentionNorm the norm in front of the MLP (post_attention_layernorm)
     * @param mlp the layer's MLP (mlp)
     */
    public Qwen2Block(RMSNorm inputNorm, Qwen2Attention attention, RMSNorm postAttentionNorm, Qwen2MLP mlp) {
        throw new UnsupportedOperationException("the Qwen2Block constructor is not implemented yet");
    }

    /**
     * @param x float32 [batch, seqLen, hiddenSize], the residual stream entering the layer
     * @return float32 [batch, seqLen, hiddenSize], the residual stream leaving it
     */
    public NDArray forward(NDArray x) {
        throw new UnsupportedOperationException("forward is not implemented yet");
    }
}
