package dev.tinyvllm.check;

import java.time.Duration;

/**
 * How to grade.
 *
 * @param seed makes every generated input reproducible
 * @param timeout the wall-clock limit of one check (null: the step's default)
 * @param memoryLimitBytes the most memory, native included, the student JVM (and what it starts) may hold
 * @param sandbox the isolation the student JVM runs in
 */
public record CheckOptions(long seed, Duration timeout, long memoryLimitBytes, SandboxMode sandbox) {

    public static final long DEFAULT_MEMORY_LIMIT = 4L << 30;

    public CheckOptions(long seed, Duration timeout, long memoryLimitBytes) {
        this(seed, timeout, memoryLimitBytes, SandboxMode.AUTO);
    }

    public static CheckOptions defaults() {
        return new CheckOptions(0, null, DEFAULT_MEMORY_LIMIT, SandboxMode.AUTO);
    }

    public CheckOptions withSandbox(SandboxMode mode) {
        return new CheckOptions(seed, timeout, memoryLimitBytes, mode);
    }
}
