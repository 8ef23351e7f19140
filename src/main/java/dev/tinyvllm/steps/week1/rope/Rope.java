package dev.tinyvllm.steps.week1.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.StudentClass;

/** The student's RoPE as the checks call it. */
@StudentClass("week1.rope.RoPE")
public interface Rope {

    /** The manager stands for the check's manager in the student JVM, where the tables live. */
    @New
    Rope create(NDManager manager, int headDim, int maxSeqLen, double base, boolean traditional);

    /** x {@code [batch, seqLen, heads, headDim]}, its first token at position {@code offset}. */
    NDArray apply(NDArray x, int offset);
}
