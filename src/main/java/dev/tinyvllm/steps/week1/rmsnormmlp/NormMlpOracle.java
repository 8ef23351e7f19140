package dev.tinyvllm.steps.week1.rmsnormmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dev.tinyvllm.oracle.LayerKernels;
import java.util.Set;

/**
 * Hidden reference RMSNorm and SwiGLU MLP. The correct results are libtorch's own kernels
 * ({@code aten::rms_norm}, {@code aten::linear}, {@code aten::silu}); the mutated variants are DJL
 * compositions of the same pieces.
 */
public final class NormMlpOracle {

    private NormMlpOracle() {}

    /**
     * RMSNorm over the last axis: {@code x / sqrt(mean(x^2) + eps) * weight}, the mean taken in float32,
     * the result in x's type.
     */
    public static NDArray rmsNorm(NDArray x, NDArray weight, double eps, Set<NormMlpMutation> mutations) {
        if (mutations.stream().noneMatch(NormMlpMutation::ofNorm)) {
            return LayerKernels.rmsNorm(x, weight, eps);
        }
        DataType type = x.getDataType();
        NDArray wide = mutations.contains(NormMlpMutation.HALF_PRECISION_SUM) ? x : x.toType(DataType.FLOAT32, false);
        NDArray squares = wide.square();
        int rank = x.getShape().dimension();
        NDArray meanSquare;
        if (mutations.contains(NormMlpMutation.AXIS_FIRST)) {
            meanSquare = squares.mean(new int[] {0}, true);
        } else if (mutations.contains(NormMlpMutation.AXIS_ALL)) {
            meanSquare = squares.mean();
        } else {
            meanSquare = squares.mean(new int[] {rank - 1}, true);
        }
        NDArray root;
        if (mutations.contains(NormMlpMutation.EPS_OUTSIDE_ROOT)) {
            root = meanSquare.sqrt().add(eps);
        } else if (mutations.contains(NormMlpMutation.EPS_MISSING)) {
            root = meanSquare.sqrt();
        } else {
            root = meanSquare.add(eps).sqrt();
        }
        NDArray normed = wide.div(root).toType(type, false);
        return mutations.contains(NormMlpMutation.WEIGHT_MISSING) ? normed : normed.mul(weight);
    }

    /** {@code down(silu(gate(x)) * up(x))}, weights {@code [out, in]}, no biases. */
    public static NDArray mlp(NDArray x, NDArray wGate, NDArray wUp, NDArray wDown, Set<NormMlpMutation> mutations) {
        NDArray gate = LayerKernels.linear(x, wGate, null);
        NDArray up = LayerKernels.linear(x, wUp, null);
        NDArray hidden;
        if (mutations.contains(NormMlpMutation.GATE_UP_SWAPPED)) {
            hidden = LayerKernels.silu(up).mul(gate);
        } else if (mutations.contains(NormMlpMutation.SILU_ON_PRODUCT)) {
            hidden = LayerKernels.silu(gate.mul(up));
        } else if (mutations.contains(NormMlpMutation.SILU_AFTER_DOWN) || mutations.contains(NormMlpMutation.SILU_MISSING)) {
            hidden = gate.mul(up);
        } else if (mutations.contains(NormMlpMutation.SIGMOID_INSTEAD_OF_SILU)) {
            hidden = Activation.sigmoid(gate).mul(up);
        } else {
            hidden = LayerKernels.silu(gate).mul(up);
        }
        NDArray out = LayerKernels.linear(hidden, wDown, null);
        return mutations.contains(NormMlpMutation.SILU_AFTER_DOWN) ? LayerKernels.silu(out) : out;
    }
}
