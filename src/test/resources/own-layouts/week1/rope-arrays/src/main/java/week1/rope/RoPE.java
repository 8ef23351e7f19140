package week1.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/** A student's RoPE: tables built with array operations, strided slices, and "rotate half" for Qwen2's layout. */
public final class RoPE {

    private final NDArray cosines;
    private final NDArray sines;
    private final boolean adjacent;
    private final int halfDim;

    public RoPE(NDManager nd, int dim, int positions, double theta, boolean traditional) {
        halfDim = dim / 2;
        NDArray exponents = nd.arange(0, dim, 2, DataType.FLOAT32).div(dim);
        NDArray speeds = exponents.mul(-Math.log(theta)).exp();
        NDArray where = nd.arange(0, positions, 1, DataType.FLOAT32).reshape(positions, 1);
        NDArray angles = where.matMul(speeds.reshape(1, halfDim));
        cosines = angles.cos();
        sines = angles.sin();
        adjacent = traditional;
    }

    public NDArray apply(NDArray x, int first) {
        long len = x.getShape().get(1);
        NDArray c = rows(cosines, first, len);
        NDArray s = rows(sines, first, len);
        if (adjacent) {
            NDArray even = x.get(new NDIndex("..., ::2"));
            NDArray odd = x.get(new NDIndex("..., 1::2"));
            NDArray turnedEven = even.mul(c).sub(odd.mul(s));
            NDArray turnedOdd = even.mul(s).add(odd.mul(c));
            return NDArrays.stack(new NDList(turnedEven, turnedOdd), -1).reshape(x.getShape());
        }
        NDArray cc = c.concat(c, -1);
        NDArray ss = s.concat(s, -1);
        return x.mul(cc).add(rotateHalf(x).mul(ss));
    }

    /** [a, b] -> [-b, a] over the last axis. */
    private NDArray rotateHalf(NDArray x) {
        NDArray front = x.get(new NDIndex("..., :{}", halfDim));
        NDArray back = x.get(new NDIndex("..., {}:", halfDim));
        return back.neg().concat(front, -1);
    }

    /** The table's rows for the tokens' positions, shaped to broadcast over batch and heads. */
    private static NDArray rows(NDArray table, int from, long count) {
        return table.get(new NDIndex("{}:{}", from, from + count)).expandDims(1);
    }
}
