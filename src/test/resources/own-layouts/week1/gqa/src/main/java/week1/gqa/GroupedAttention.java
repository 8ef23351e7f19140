package week1.gqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/** A student's grouped attention: a Java loop for the mask, one query head at a time for the attention. */
public final class GroupedAttention {

    private GroupedAttention() {}

    public static NDArray causalMask(NDManager nd, int rows, int cols) {
        boolean[] visible = new boolean[rows * cols];
        int earlier = cols - rows;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                visible[i * cols + j] = j <= i + earlier;
            }
        }
        return nd.create(visible, new Shape(rows, cols));
    }

    public static NDArray attention(NDArray query, NDArray key, NDArray value, NDArray allowed) {
        long hq = query.getShape().get(1);
        long hkv = key.getShape().get(1);
        long perGroup = hq / hkv;
        double scale = 1.0 / Math.sqrt(query.getShape().get(3));
        NDList outputs = new NDList();
        for (long h = 0; h < hq; h++) {
            NDArray qh = query.get(new NDIndex(":, {}", h));
            NDArray kh = key.get(new NDIndex(":, {}", h / perGroup));
            NDArray vh = value.get(new NDIndex(":, {}", h / perGroup));
            NDArray scores = qh.matMul(kh.swapAxes(1, 2)).mul(scale);
            if (allowed != null) {
                NDArray ok = headMask(allowed, h).broadcast(scores.getShape());
                NDArray hidden = scores.getManager().full(scores.getShape(), Float.NEGATIVE_INFINITY);
                scores = NDArrays.where(ok, scores, hidden);
            }
            outputs.add(scores.softmax(-1).matMul(vh));
        }
        return NDArrays.stack(outputs, 1);
    }

    /** The mask for one query head: [L, S] as it is, [B, 1 or Hq, L or 1, S] without the head axis. */
    private static NDArray headMask(NDArray m, long h) {
        if (m.getShape().dimension() < 4) {
            return m;
        }
        return m.getShape().get(1) == 1 ? m.get(new NDIndex(":, 0")) : m.get(new NDIndex(":, {}", h));
    }
}
