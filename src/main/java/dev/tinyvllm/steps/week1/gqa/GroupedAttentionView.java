package dev.tinyvllm.steps.week1.gqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.Static;
import dev.tinyvllm.check.StudentClass;

/** The student's GroupedAttention, as the checks call it. */
@StudentClass("week1.gqa.GroupedAttention")
public interface GroupedAttentionView {

    /** BOOLEAN {@code [queryLen, keyLen]}, true where the query may attend. */
    @Static
    NDArray causalMask(NDManager manager, int queryLen, int keyLen);

    /** q {@code [B, Hq, L, D]}, k and v {@code [B, H, S, D]}, mask null or BOOLEAN. */
    @Static
    NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask);
}
