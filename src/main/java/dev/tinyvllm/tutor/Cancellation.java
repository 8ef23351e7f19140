package dev.tinyvllm.tutor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Ctrl-C for the answer being produced: whoever does slow work registers how to stop it. */
public final class Cancellation {

    private volatile boolean cancelled;
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    public void cancel() {
        cancelled = true;
        hooks.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code hook} on cancel, or at once if already cancelled. */
    public void onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled) {
            hook.run();
        }
    }
}
