package dev.tinyvllm.engine;

import java.util.Locale;

/** How the engine stores matrix weights in memory, whatever the checkpoint's dtype. */
public enum WeightFormat {
    F32, BF16, Q8;

    public static WeightFormat parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weight format \"" + s + "\" (use f32, bf16 or q8)");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
