package dev.tinyvllm.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * libtorch's fused attention kernels, reached through a TorchScript module written at first use.
 *
 * <p>One module per process: loading compiles its source (tens of milliseconds), calling it costs one
 * JNI round trip. Results are attached to the caller's manager, so they are freed with the caller's
 * other arrays.
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

    private static volatile PtSymbolBlock module;

    private FusedKernels() {}

    /** {@code torch.scaled_dot_product_attention(q, k, v, mask, 0.0, causal)}; mask may be null. */
    public static NDArray sdpa(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal) {
        return mask == null
                ? call(q.getManager(), "sdpa", tensor(q), tensor(k), tensor(v), IValue.from(causal))
                : call(q.getManager(), "sdpa_masked", tensor(q), tensor(k), tensor(v), tensor(mask),
                        IValue.from(causal));
    }

    /**
     * {@code aten::_flash_attention_forward} on packed {@code [totalTokens, heads, headDim]} inputs.
     * CUDA only: libtorch has no CPU kernel for it, and calling it on CPU tensors aborts the process.
     */
    public static NDArray flashVarlen(
            NDArray q, NDArray k, NDArray v, NDArray cuQ, NDArray cuK, int maxQ, int maxK, boolean causal) {
        return call(q.getManager(), "flash_varlen", tensor(q), tensor(k), tensor(v), tensor(cuQ), tensor(cuK),
                IValue.from((long) maxQ), IValue.from((long) maxK), IValue.from(causal));
    }

    /** Whether libtorch sees a CUDA device. */
    public static boolean cudaAvailable() {
        return Engine.getEngine("PyTorch").getGpuCount() > 0;
    }

    private static PtSymbolBlock module() {
        PtSymbolBlock block = module;
        if (block == null) {
            synchronized (FusedKernels.class) {
                block = module;
                if (block == null) {
                    module = block = load();
                }
            }
        }
        return block;
    }

    private static PtSymbolBlock load() {
        // The module outlives every caller's manager; it is freed with the process.
        PtNDManager owner = (PtNDManager) Engine.getEngine("PyTorch").newBaseManager();
        byte[] archive = TorchScriptArchive.write("Fused", METHODS);
        try {
            return JniUtils.loadModule(owner, new ByteArrayInputStream(archive), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the fused-kernel TorchScript module", e);
        }
    }

    private static IValue tensor(NDArray array) {
        if (!(array instanceof PtNDArray)) {
            throw new IllegalArgumentException("expected a PyTorch NDArray, got " + array.getClass().getName());
        }
        return IValue.from((PtNDArray) array);
    }

    private static NDArray call(NDManager manager, String method, IValue... args) {
        try (IValue result = IValueUtils.runMethod(module(), method, args)) {
            return result.toTensor((PtNDManager) manager);
        } finally {
            for (IValue arg : args) {
                arg.close();
            }
        }
    }
}
