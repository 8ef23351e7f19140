package dev.tinyvllm.student;

import ai.djl.ndarray.NDArray;

/**
 * Anything that scores the next token: your Qwen2 model, or a scripted stand-in the checker uses to
 * test a generation loop on its own.
 */
public interface LanguageModel {

    /**
     * @param inputIds INT32 {@code [batch, seqLen]} token ids
     * @return float32 {@code [batch, seqLen, vocabSize]}: row t scores every candidate for the token after
     *     position t, given positions 0 .. t
     */
    NDArray forward(NDArray inputIds);
}
