package dev.tinyvllm.check;

/** Diagnoses the shared helpers give, whatever the step; a step says which of them its checks use. */
public enum CommonTag implements Tag {
    /** The result is missing, not an array, or an array of the wrong shape. */
    SHAPE_MISMATCH,
    /** The result holds NaN or infinity where the reference has numbers. */
    NAN_OUTPUT,
    /** The result's element type differs from the input's. */
    DTYPE_CHANGED
}
