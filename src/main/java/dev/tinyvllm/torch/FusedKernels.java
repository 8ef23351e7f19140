package dev.tinyvllm.torch;

import static dev.tinyvllm.torch.TorchScriptModule.tensor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.IValue;

/**
 * libtorch's fused attention kernels, reached through a {@link TorchScriptModule} written at first use.
 * Results are attached to the caller's manager, so they are freed with the caller's other arrays.
 */
public final class FusedKernels {

    private static final String METHODS = """
              def sdpa(self: __torch__.Fused, q: Tensor, k: Tensor, v: Tensor, causal: bool) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, 0., causal)
              def sdpa_masked(self: __torch__.Fused, q: Tensor, k: Tensor, v: Tensor, mask: Tensor, causal: bool) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, mask, 0., causal)
              def flash_varlen(self: __torch__.Fused, q: Tensor, k: Tensor, v: Tensor, cu_q: Tensor, cu_k: Tensor, max_q: int, max_k: int, causal: bool) -> Tensor:
                out = ops.aten._flash_attention_forward(q, k, v, cu_q, cu_k, max_q, max_k, 0., causal, False)
                return out[0]
            """;

    private static final TorchScriptModule MODULE = new TorchScriptModule("Fused", METHODS, "fused-kernel");

    private FusedKernels() {}

    /** {@code torch.scaled_dot_product_attention(q, k, v, mask, 0.0, causal)}; mask may be null. */
    public static NDArray sdpa(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal) {
        return mask == null
                ? MODULE.call(q.getManager(), "sdpa", tensor(q), tensor(k), tensor(v), IValue.from(causal))
                : MODULE.call(q.getManager(), "sdpa_masked", tensor(q), tensor(k), tensor(v), tensor(mask),
                        IValue.from(causal));
    }

    /**
     * {@code aten::_flash_attention_forward} on packed {@code [totalTokens, heads, headDim]} inputs.
     * CUDA only: libtorch has no CPU kernel for it, and calling it on CPU tensors aborts the process.
     */
    public static NDArray flashVarlen(
            NDArray q, NDArray k, NDArray v, NDArray cuQ, NDArray cuK, int maxQ, int maxK, boolean causal) {
        return MODULE.call(q.getManager(), "flash_varlen", tensor(q), tensor(k), tensor(v), tensor(cuQ),
                tensor(cuK), IValue.from((long) maxQ), IValue.from((long) maxK), IValue.from(causal));
    }

    /** Whether libtorch sees a CUDA device. */
    public static boolean cudaAvailable() {
        return Engine.getEngine("PyTorch").getGpuCount() > 0;
    }
}
