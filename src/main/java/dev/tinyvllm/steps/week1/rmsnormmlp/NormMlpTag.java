package dev.tinyvllm.steps.week1.rmsnormmlp;

import dev.tinyvllm.check.Tag;

/** What a failed check of week1/rmsnorm-mlp can tell about the student's RMSNorm or MLP. */
public enum NormMlpTag implements Tag {
    EPS_OUTSIDE_ROOT,
    EPS_MISSING,
    NORM_WRONG_AXIS,
    NORM_WEIGHT_MISSING,
    HALF_PRECISION_SUM,
    GATE_UP_SWAPPED,
    SILU_WRONG_BRANCH,
    SILU_MISSING,
    SILU_FORMULA_WRONG
}
