package dev.tinyvllm.check;

import java.time.Duration;

/**
 * How to grade.
 *
 * @param seed makes every generated input reproducible
 * @param timeout the wall-clock limit of one check (null: the step's default)
 * @param memoryLimitBytes the most memory, native included, the grading JVM may hold
 */
public record CheckOptions(long seed, Duration timeout, long memoryLimitBytes) {

    public static final long DEFAULT_MEMORY_LIMIT = 4L << 30;

    public static CheckOptions defaults() {
        return new CheckOptions(0, null, DEFAULT_MEMORY_LIMIT);
    }
}
