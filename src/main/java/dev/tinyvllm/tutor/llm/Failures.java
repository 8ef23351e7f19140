package dev.tinyvllm.tutor.llm;

import dev.langchain4j.exception.HttpException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/** Says in one line why a call to the model failed. */
final class Failures {

    private static final int MAX_BODY = 160;

    private Failures() {}

    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                String body = http.getMessage() == null ? "" : http.getMessage().replaceAll("\\s+", " ").strip();
                if (body.length() > MAX_BODY) {
                    body = body.substring(0, MAX_BODY) + "…";
                }
                return "HTTP " + http.statusCode() + (body.isEmpty() ? "" : ": " + body);
            }
            if (t instanceof ConnectException) {
                return "cannot connect (" + (t.getMessage() == null ? "connection refused" : t.getMessage()) + ")";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "cannot connect (timed out)";
            }
            if (t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return "no answer in time";
            }
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return "the reply is not the chat-completions protocol (" + firstLine(t.getMessage()) + ")";
            }
        }
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() > MAX_BODY ? line.substring(0, MAX_BODY) + "…" : line;
    }
}
