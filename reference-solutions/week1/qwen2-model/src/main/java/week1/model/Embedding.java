package week1.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** The course's solution of week1/qwen2-model, the embedding. Never shown to students. */
public final class Embedding {

    private final NDArray weight;

    public Embedding(NDArray weight) {
        this.weight = weight;
    }

    public NDArray forward(NDArray ids) {
        // Indexing with an array of ids picks whole rows; the result lives with the ids, not the weights.
        return weight.get(ids.getManager(), new NDIndex("{}", ids));
    }

    public NDArray asLinear(NDArray x) {
        return x.matMul(weight.transpose());
    }
}
