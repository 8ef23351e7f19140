package dev.tinyvllm.steps.week1.qwen2model;

import dev.tinyvllm.check.Tag;

/**
 * What week1/qwen2-model's checks can tell: a mistake of the embedding, which part of the student's
 * model first leaves the reference, or a known-wrong way to load or wire it.
 */
public enum ModelTag implements Tag {
    /** Every vector the embedding returns is a row of its weight, but not always the id's row. */
    EMBEDDING_WRONG_ROWS,
    /** The head returns the softmax or log-softmax of the scores. */
    LOGITS_NORMALIZED,
    EMBEDDING_DIVERGES,
    /** layers() holds another number of layers than the config asks for. */
    LAYER_COUNT_WRONG,
    /** The student's block (week1/qwen2-block) differs when the checker builds it from the layer's weights. */
    BLOCK_DIVERGES,
    /** A layer differs though the student's block, built from that layer's weights, agrees. */
    LAYER_DIVERGES,
    /** A layer computes what another layer's weights compute. */
    LAYER_WEIGHTS_MIXED,
    /** Two of a layer's weights exchanged while loading. */
    WEIGHTS_SWAPPED,
    FINAL_NORM_DIVERGES,
    FINAL_NORM_MISSING,
    /** An untied model scored with the embedding instead of its lm_head. */
    HEAD_WRONG_MATRIX,
    LAYERS_NOT_CHAINED,
    LAYER_SKIPPED
}
