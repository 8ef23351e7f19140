package dev.tinyvllm.oracle;

import static dev.tinyvllm.torch.TorchScriptModule.tensor;

import ai.djl.ndarray.NDArray;
import dev.tinyvllm.torch.TorchScriptModule;
import ai.djl.pytorch.jni.IValue;

/**
 * libtorch's own kernels for the layers of a Qwen2 model, which DJL does not bind: the embedding,
 * RMSNorm, SiLU, linear layers, and attention with grouped key/value heads. A {@link TorchScriptModule} of
 * its own, like {@link FusedKernels}'s; the oracles use it, student code does not see it.
 */
public final class LayerKernels {

    // torch.rms_norm computes the mean of squares in float32 for half-precision inputs, and its eps
    // goes inside the root: the contract of the exercise.
    private static final String METHODS = """
              def rms_norm(self: __torch__.Layers, x: Tensor, weight: Tensor, eps: float) -> Tensor:
                return torch.rms_norm(x, [torch.size(x, -1)], weight, eps)
              def silu(self: __torch__.Layers, x: Tensor) -> Tensor:
                return torch.silu(x)
              def linear(self: __torch__.Layers, x: Tensor, weight: Tensor) -> Tensor:
                return torch.linear(x, weight)
              def linear_bias(self: __torch__.Layers, x: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
                return torch.linear(x, weight, bias)
              def embedding(self: __torch__.Layers, weight: Tensor, ids: Tensor) -> Tensor:
                return torch.embedding(weight, ids)
              def sdpa_gqa(self: __torch__.Layers, q: Tensor, k: Tensor, v: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, 0., False, enable_gqa=True)
              def sdpa_gqa_masked(self: __torch__.Layers, q: Tensor, k: Tensor, v: Tensor, mask: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, mask, 0., False, enable_gqa=True)
              def sdpa_gqa_top_left_causal(self: __torch__.Layers, q: Tensor, k: Tensor, v: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, 0., True, enable_gqa=True)
            """;

    private static final TorchScriptModule MODULE = new TorchScriptModule("Layers", METHODS, "layer-kernel");

    private LayerKernels() {}

    /** {@code torch.rms_norm(x, [x.size(-1)], weight, eps)}: over the last axis, eps inside the root. */
    public static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
        return MODULE.call(x.getManager(), "rms_norm", tensor(x), tensor(weight), IValue.from(eps));
    }

    /** {@code torch.silu(x)}: x times the logistic sigmoid of x. */
    public static NDArray silu(NDArray x) {
        return MODULE.call(x.getManager(), "silu", tensor(x));
    }

    /** {@code torch.linear(x, weight, bias)}: x times the transpose of weight {@code [out, in]}, plus bias; bias may be null. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null
                ? MODULE.call(x.getManager(), "linear", tensor(x), tensor(weight))
                : MODULE.call(x.getManager(), "linear_bias", tensor(x), tensor(weight), tensor(bias));
    }

    /** {@code torch.embedding(weight, ids)}: row {@code ids[...]} of weight {@code [vocab, dim]}, ids INT64. */
    public static NDArray embedding(NDArray weight, NDArray ids) {
        return MODULE.call(ids.getManager(), "embedding", tensor(weight), tensor(ids));
    }

    /**
     * {@code torch.scaled_dot_product_attention(..., enable_gqa=True)}: q {@code [B, Hq, L, D]}, k and v
     * {@code [B, H, S, D]}, query head h reading key/value head {@code h / (Hq / H)}.
     *
     * @param mask null, or BOOLEAN broadcastable to {@code [B, Hq, L, S]}, true = may attend
     */
    public static NDArray groupedAttention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        return mask == null
                ? MODULE.call(q.getManager(), "sdpa_gqa", tensor(q), tensor(k), tensor(v))
                : MODULE.call(q.getManager(), "sdpa_gqa_masked", tensor(q), tensor(k), tensor(v), tensor(mask));
    }

    /**
     * The same with PyTorch's {@code is_causal=True}, whose diagonal starts at the top-left corner:
     * when L &lt; S, query i sees keys 0..i only, not the S - L keys before its own position.
     */
    public static NDArray groupedAttentionTopLeftCausal(NDArray q, NDArray k, NDArray v) {
        return MODULE.call(q.getManager(), "sdpa_gqa_top_left_causal", tensor(q), tensor(k), tensor(v));
    }
}
