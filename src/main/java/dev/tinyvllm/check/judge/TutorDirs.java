package dev.tinyvllm.check.judge;

import java.nio.file.Path;

/** Where the tutor keeps files between runs that are not a workspace's: its cache. */
public final class TutorDirs {

    private TutorDirs() {}

    /** {@code $TUTOR_CACHE_DIR}, else {@code $XDG_CACHE_HOME/tiny-vllm-tutor}, else {@code ~/.cache/tiny-vllm-tutor}. */
    public static Path cache() {
        String own = System.getenv("TUTOR_CACHE_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tiny-vllm-tutor");
    }
}
