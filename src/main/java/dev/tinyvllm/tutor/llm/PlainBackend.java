package dev.tinyvllm.tutor.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.tinyvllm.tutor.Cancellation;
import dev.tinyvllm.tutor.ModelUnavailableException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** One JSON reply per request, for servers whose streaming is broken ({@code stream=false}). */
final class PlainBackend implements ChatBackend {

    private final ChatModel model;
    private final Duration timeout;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tutor-llm-call");
        t.setDaemon(true);
        return t;
    });

    PlainBackend(ChatModel model, Duration timeout) {
        this.model = model;
        this.timeout = timeout;
    }

    @Override
    public Reply chat(ChatRequest request, Predicate<String> onText, Cancellation cancel)
            throws ModelUnavailableException, InterruptedException {
        Future<ChatResponse> call = calls.submit(() -> model.chat(request));
        cancel.onCancel(() -> call.cancel(true));
        ChatResponse response;
        try {
            response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new ModelUnavailableException("no answer for " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new ModelUnavailableException(Failures.describe(e.getCause()), e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new InterruptedException("stopped");
        }
        String text = response.aiMessage().text();
        if (text != null && !text.isEmpty() && !onText.test(text)) {
            return new Reply(null, true);
        }
        return new Reply(response, false);
    }
}
