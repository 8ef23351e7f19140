package dev.tinyvllm.engine.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A parallel for-loop over chunks with a fixed set of worker threads. A decode step issues hundreds of
 * small parallel loops, so dispatch must cost microseconds: workers spin briefly for the next job before
 * they park, and the calling thread takes chunks too. Chunks are claimed dynamically, which balances
 * uneven chunks; which thread runs a chunk never changes its result.
 */
public final class Parallel implements AutoCloseable {

    private static final int SPIN_ITERATIONS = 20_000;

    private final int threads;
    private final Thread[] workers;
    private volatile Job job;
    private volatile boolean closed;

    private static final class Job {
        final IntConsumer body;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(IntConsumer body, int chunks) {
            this.body = body;
            this.chunks = chunks;
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    body.accept(c);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    /** A pool running loops on {@code threads} threads in all (the caller included). */
    public Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.workers = new Thread[this.threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "tinyvllm-kernel-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** One thread per available processor. */
    public static Parallel perProcessor() {
        return new Parallel(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} for every chunk in [0, chunks) and returns when all are done. */
    public void forEach(int chunks, IntConsumer body) {
        if (chunks <= 0) {
            return;
        }
        if (threads == 1 || chunks == 1) {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
            return;
        }
        Job j = new Job(body, chunks);
        synchronized (this) {
            job = j;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            j.work();
            int spins = 0;
            while (j.done.get() < chunks) {
                if (++spins < SPIN_ITERATIONS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            job = null;
        }
        if (j.failure != null) {
            if (j.failure instanceof RuntimeException r) {
                throw r;
            }
            if (j.failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(j.failure);
        }
    }

    private void workerLoop() {
        Job last = null;
        while (!closed) {
            Job j = job;
            int spins = 0;
            while ((j == null || j == last) && !closed) {
                if (++spins < SPIN_ITERATIONS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 1_000_000);
                }
                j = job;
            }
            if (closed) {
                return;
            }
            last = j;
            j.work();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
