package week1.gqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** The course's solution of week1/gqa, grouped attention. Never shown to students. */
public final class GroupedAttention {

    private GroupedAttention() {}

    public static NDArray causalMask(NDManager manager, int queryLen, int keyLen) {
        NDArray rows = manager.arange(0, queryLen, 1, DataType.INT64).reshape(queryLen, 1);
        NDArray cols = manager.arange(0, keyLen, 1, DataType.INT64).reshape(1, keyLen);
        // Query i is the token at position i + (keyLen - queryLen): the last query is the last key.
        return cols.lte(rows.add(keyLen - queryLen));
    }

    public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        Shape shape = q.getShape();
        long batch = shape.get(0);
        long heads = shape.get(1);
        long queryLen = shape.get(2);
        long dim = shape.get(3);
        long kvHeads = k.getShape().get(1);
        long keyLen = k.getShape().get(2);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot share " + kvHeads + " key/value heads evenly");
        }
        long group = heads / kvHeads;
        // The query heads that share a key/value head sit next to each other: [B, H, group, L, D].
        NDArray qg = q.reshape(batch, kvHeads, group, queryLen, dim);
        NDArray kg = k.reshape(batch, kvHeads, 1, keyLen, dim);
        NDArray vg = v.reshape(batch, kvHeads, 1, keyLen, dim);
        NDArray scores = qg.matMul(kg.swapAxes(-1, -2)).div(Math.sqrt(dim));
        if (mask != null) {
            NDArray allowed = grouped(mask, kvHeads, group).broadcast(scores.getShape());
            NDArray blocked = q.getManager().full(scores.getShape(), Float.NEGATIVE_INFINITY);
            scores = NDArrays.where(allowed, scores, blocked);
        }
        NDArray out = scores.softmax(-1).matMul(vg);
        return out.reshape(batch, heads, queryLen, dim);
    }

    /** A mask that broadcasts to [B, Hq, L, S], made to broadcast to [B, H, group, L, S]. */
    private static NDArray grouped(NDArray mask, long kvHeads, long group) {
        Shape shape = mask.getShape();
        long[] full = {1, 1, 1, 1};
        for (int i = 0; i < shape.dimension(); i++) {
            full[4 - shape.dimension() + i] = shape.get(i);
        }
        boolean perHead = full[1] != 1;
        return mask.reshape(full[0], perHead ? kvHeads : 1, perHead ? group : 1, full[2], full[3]);
    }
}
