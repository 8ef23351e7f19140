package dev.tinyvllm.engine.server;

import dev.tinyvllm.engine.LlmEngine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one thread that owns the engine. HTTP handlers hand it commands (add a request, abort one); between
 * commands it runs engine steps for as long as any request is unfinished, so requests that arrive while
 * others decode join the running batch at the next step.
 */
final class EngineLoop implements AutoCloseable {

    private final LlmEngine engine;
    private final LinkedBlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Throwable failure;

    EngineLoop(LlmEngine engine) {
        this.engine = engine;
        this.thread = new Thread(this::loop, "tinyvllm-engine-loop");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code action} on the engine thread; the future completes with its result. */
    <T> CompletableFuture<T> submit(Function<LlmEngine, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the engine is shutting down"));
            return result;
        }
        commands.add(() -> {
            try {
                result.complete(action.apply(engine));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    Throwable failure() {
        return failure;
    }

    private void loop() {
        try {
            while (!closed) {
                Runnable c = engine.hasUnfinished() ? commands.poll() : commands.poll(100, TimeUnit.MILLISECONDS);
                while (c != null) {
                    c.run();
                    c = commands.poll();
                }
                if (engine.hasUnfinished()) {
                    engine.step();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            engine.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
