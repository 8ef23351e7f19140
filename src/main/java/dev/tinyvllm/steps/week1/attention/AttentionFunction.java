package dev.tinyvllm.steps.week1.attention;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/** The six functions of the step: how each computes attention, and whether it is causal. */
enum AttentionFunction {
    EAGER_BIDIRECTIONAL("eagerBidirectional", Kind.EAGER, false),
    EAGER_CAUSAL("eagerCausal", Kind.EAGER, true),
    SDPA_BIDIRECTIONAL("sdpaBidirectional", Kind.SDPA, false),
    SDPA_CAUSAL("sdpaCausal", Kind.SDPA, true),
    FLASH_BIDIRECTIONAL("flashBidirectional", Kind.FLASH, false),
    FLASH_CAUSAL("flashCausal", Kind.FLASH, true);

    /** Plain NDArray operations, the fused SDPA kernel on a padded batch, or the varlen kernel on a packed one. */
    enum Kind { EAGER, SDPA, FLASH }

    private final String method;
    private final Kind kind;
    private final boolean causal;

    AttentionFunction(String method, Kind kind, boolean causal) {
        this.method = method;
        this.kind = kind;
        this.causal = causal;
    }

    /** The student's method, as checks and reports name it. */
    String method() {
        return method;
    }

    Kind kind() {
        return kind;
    }

    boolean causal() {
        return causal;
    }

    /** Only the flash functions take a packed batch. */
    boolean packed() {
        return kind == Kind.FLASH;
    }

    /** The first part of its checks' ids: the method in snake case. */
    String checkPrefix() {
        return method.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * Calls the student's method in the student JVM.
     *
     * @param mask the padding mask of a padded batch, or null
     * @param cuSeqlens the sequence starts of a packed batch
     */
    NDArray call(AttentionView student, NDArray[] qkv, int heads, int dim, NDArray mask, NDArray cuSeqlens,
            int maxSeqlen) {
        NDArray q = qkv[0];
        NDArray k = qkv[1];
        NDArray v = qkv[2];
        return switch (this) {
            case EAGER_BIDIRECTIONAL -> student.eagerBidirectional(q, k, v, heads, dim, mask);
            case EAGER_CAUSAL -> student.eagerCausal(q, k, v, heads, dim, mask);
            case SDPA_BIDIRECTIONAL -> student.sdpaBidirectional(q, k, v, heads, dim, mask);
            case SDPA_CAUSAL -> student.sdpaCausal(q, k, v, heads, dim, mask);
            case FLASH_BIDIRECTIONAL -> student.flashBidirectional(q, k, v, heads, dim, cuSeqlens, maxSeqlen);
            case FLASH_CAUSAL -> student.flashCausal(q, k, v, heads, dim, cuSeqlens, maxSeqlen);
        };
    }
}
