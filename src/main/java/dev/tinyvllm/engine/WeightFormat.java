package dev.tinyvllm.engine;

import java.util.Locale;

/** How the engine stores matrix weights in memory, whatever the checkpoint's dtype. */
public enum WeightFormat {
    F32, BF16, Q8;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
