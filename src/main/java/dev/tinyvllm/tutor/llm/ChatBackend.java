package dev.tinyvllm.tutor.llm;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.tinyvllm.tutor.Cancellation;
import dev.tinyvllm.tutor.ModelUnavailableException;
import java.util.function.Predicate;

/** One request to the model, its text handed over as it arrives. */
interface ChatBackend {

    /**
     * @param response null when {@code stopped}
     * @param stopped the text consumer refused a piece (the guard objected) and the model was stopped
     */
    record Reply(ChatResponse response, boolean stopped) {}

    /**
     * @param onText receives the answer's text as it arrives; returns false to stop the model
     * @throws ModelUnavailableException refused, timed out, an HTTP error, a reply that is not the protocol
     * @throws InterruptedException stopped by Ctrl-C
     */
    Reply chat(ChatRequest request, Predicate<String> onText, Cancellation cancel)
            throws ModelUnavailableException, InterruptedException;
}
