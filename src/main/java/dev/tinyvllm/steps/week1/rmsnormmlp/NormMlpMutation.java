package dev.tinyvllm.steps.week1.rmsnormmlp;

import dev.tinyvllm.check.Mutation;

/** Known-wrong variants of RMSNorm and of the SwiGLU MLP, each with its diagnostic tag. */
public enum NormMlpMutation implements Mutation {
    /** {@code x / (sqrt(mean(x^2)) + eps)}. */
    EPS_OUTSIDE_ROOT(NormMlpTag.EPS_OUTSIDE_ROOT, Group.EPS),
    EPS_MISSING(NormMlpTag.EPS_MISSING, Group.EPS),
    /** The mean of squares over the first axis instead of the features. */
    AXIS_FIRST(NormMlpTag.NORM_WRONG_AXIS, Group.AXIS),
    /** The mean of squares over every element at once. */
    AXIS_ALL(NormMlpTag.NORM_WRONG_AXIS, Group.AXIS),
    WEIGHT_MISSING(NormMlpTag.NORM_WEIGHT_MISSING, Group.WEIGHT),
    /** Squares and averages in the input's half precision. */
    HALF_PRECISION_SUM(NormMlpTag.HALF_PRECISION_SUM, Group.PRECISION),
    /** SiLU on the up projection, the gate projection as the multiplier. */
    GATE_UP_SWAPPED(NormMlpTag.GATE_UP_SWAPPED, Group.BRANCH),
    /** SiLU on the product of the two projections. */
    SILU_ON_PRODUCT(NormMlpTag.SILU_WRONG_BRANCH, Group.BRANCH),
    /** SiLU on the down projection's output. */
    SILU_AFTER_DOWN(NormMlpTag.SILU_WRONG_BRANCH, Group.BRANCH),
    SILU_MISSING(NormMlpTag.SILU_MISSING, Group.BRANCH),
    /** The logistic sigmoid alone where SiLU is x times it. */
    SIGMOID_INSTEAD_OF_SILU(NormMlpTag.SILU_FORMULA_WRONG, Group.BRANCH);

    /** Mutations of one group replace the same piece, so two of them never combine. */
    public enum Group { EPS, AXIS, WEIGHT, PRECISION, BRANCH }

    private final Mistake mistake;

    NormMlpMutation(NormMlpTag tag, Group group) {
        this.mistake = new Mistake(tag, group);
    }

    @Override
    public Mistake mistake() {
        return mistake;
    }

    /** Whether it is a mistake in RMSNorm (otherwise in the MLP). */
    public boolean ofNorm() {
        return group() != Group.BRANCH;
    }
}
