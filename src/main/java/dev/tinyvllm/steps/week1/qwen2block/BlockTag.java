package dev.tinyvllm.steps.week1.qwen2block;

import dev.tinyvllm.check.Tag;

/** What week1/qwen2-block's checks can tell: a wiring mistake, or which of the student's parts differs first. */
public enum BlockTag implements Tag {
    RESIDUAL_MISSING,
    RESIDUAL_FROM_NORMED,
    POST_NORM,
    NORMS_SWAPPED,
    /** The student's RMSNorm (week1/rmsnorm-mlp) differs given a correct block's input. */
    NORM_DIVERGES,
    /** The student's Qwen2Attention (week1/gqa) differs given a correct block's input. */
    ATTENTION_DIVERGES,
    /** The student's Qwen2MLP (week1/rmsnorm-mlp) differs given a correct block's input. */
    MLP_DIVERGES
}
