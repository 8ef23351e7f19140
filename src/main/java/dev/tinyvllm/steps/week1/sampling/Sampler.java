package dev.tinyvllm.steps.week1.sampling;

import ai.djl.ndarray.NDArray;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.StudentClass;

/** The student's Sampler as the checks call it. */
@StudentClass("week1.sampling.Sampler")
public interface Sampler {

    /** topK 0 and topP 1 switch their filter off; temperature 0 is greedy. */
    @New
    Sampler create(double temperature, int topK, double topP, long seed);

    /** The distribution the sampler draws from, for one row of logits {@code [vocab]}. */
    NDArray probabilities(NDArray logits);

    int sample(NDArray logits);
}
