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

    /**
     * Interrupts the calling thread on cancel, but only until the returned scope is closed; the
     * interrupt flag is cleared on close. Thread interrupts are kept to work that is made for them
     * (a check waiting on its grading JVM): an interrupt that lands in a file write would close the
     * file's channel, and with it the transcript.
     */
    public Scope interruptWhile() {
        Thread thread = Thread.currentThread();
        Object lock = new Object();
        boolean[] open = {true};
        Runnable hook = () -> {
            synchronized (lock) {
                if (open[0]) {
                    thread.interrupt();
                }
            }
        };
        onCancel(hook);
        return () -> {
            synchronized (lock) {
                open[0] = false;
            }
            hooks.remove(hook);
            Thread.interrupted();
        };
    }

    /** A stretch of work during which cancelling interrupts the thread. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
