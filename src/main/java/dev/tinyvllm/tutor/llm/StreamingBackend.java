package dev.tinyvllm.tutor.llm;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.tinyvllm.tutor.Cancellation;
import dev.tinyvllm.tutor.ModelUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Server-sent events: the answer appears as the model writes it. The handler runs on the HTTP
 * client's threads, so the result is handed over through a future; a stream that goes quiet for
 * longer than the timeout counts as failed (the JDK client's own timeout ends when headers arrive).
 */
final class StreamingBackend implements ChatBackend {

    private final StreamingChatModel model;
    private final Duration timeout;

    StreamingBackend(StreamingChatModel model, Duration timeout) {
        this.model = model;
        this.timeout = timeout;
    }

    @Override
    public Reply chat(ChatRequest request, Predicate<String> onText, Cancellation cancel)
            throws ModelUnavailableException, InterruptedException {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicReference<StreamingHandle> handle = new AtomicReference<>();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicLong lastHeard = new AtomicLong(System.nanoTime());
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                handle.set(context.streamingHandle());
                text(partial.text());
            }

            @Override
            public void onPartialResponse(String partial) {
                text(partial);
            }

            private void text(String partial) {
                lastHeard.set(System.nanoTime());
                if (stopped.get() || cancel.isCancelled() || partial == null) {
                    return;
                }
                if (!onText.test(partial)) {
                    stopped.set(true);
                    stop(handle.get());
                    done.complete(null);
                }
            }

            @Override
            public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext context) {
                handle.set(context.streamingHandle());
                lastHeard.set(System.nanoTime());
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        };
        cancel.onCancel(() -> {
            stop(handle.get());
            done.cancel(false);
        });
        try {
            model.chat(request, handler);
        } catch (RuntimeException e) {
            throw new ModelUnavailableException(Failures.describe(e), e);
        }
        while (true) {
            try {
                ChatResponse response = done.get(50, TimeUnit.MILLISECONDS);
                return new Reply(response, stopped.get());
            } catch (TimeoutException e) {
                if (System.nanoTime() - lastHeard.get() > timeout.toNanos()) {
                    stop(handle.get());
                    throw new ModelUnavailableException("no answer for " + timeout.toSeconds() + " s", e);
                }
            } catch (ExecutionException e) {
                if (stopped.get()) {
                    return new Reply(null, true);
                }
                throw new ModelUnavailableException(Failures.describe(e.getCause()), e.getCause());
            } catch (java.util.concurrent.CancellationException e) {
                throw new InterruptedException("stopped");
            }
        }
    }

    private static void stop(StreamingHandle handle) {
        if (handle != null && !handle.isCancelled()) {
            try {
                handle.cancel();
            } catch (RuntimeException e) {
                // The stream is over either way.
            }
        }
    }
}
