package dev.tinyvllm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An OpenAI chat-completions server on 127.0.0.1 with scripted replies: plain JSON or server-sent
 * events (as the request asks), text or tool calls, HTTP errors, garbage, or silence. It records
 * every request with its headers so tests can see what the tutor sent.
 */
public final class FakeOpenAi implements AutoCloseable {

    /** What the server answers to one request. */
    public sealed interface Reply {}

    /** The assistant says this; streamed in small pieces, {@code pause} between them. */
    public record Text(String text, Duration pause) implements Reply {
        public Text(String text) {
            this(text, Duration.ZERO);
        }
    }

    /** The assistant calls a tool. */
    public record ToolCall(String name, String arguments) implements Reply {}

    /** An HTTP error with a body. */
    public record Status(int code, String body) implements Reply {}

    /** 200 with a body that is not the protocol. */
    public record Garbage(String body) implements Reply {}

    /** Says nothing for this long (headers included), then closes the connection. */
    public record Silence(Duration duration) implements Reply {}

    /** A request as received. */
    public record Request(JsonNode body, Map<String, List<String>> headers) {

        /** The text of every message, in order. */
        public List<String> messageTexts() {
            List<String> out = new ArrayList<>();
            body.path("messages").forEach(m -> out.add(m.path("content").isTextual() ? m.path("content").asText()
                    : m.path("content").toString()));
            return out;
        }

        public String lastUserMessage() {
            String last = "";
            for (JsonNode m : body.path("messages")) {
                if (m.path("role").asText().equals("user")) {
                    last = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
                }
            }
            return last;
        }

        public boolean streamed() {
            return body.path("stream").asBoolean(false);
        }

        public List<String> toolNames() {
            List<String> names = new ArrayList<>();
            body.path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
            return names;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PIECE = 6;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-openai");
        t.setDaemon(true);
        return t;
    });
    private final Function<Request, Reply> responder;
    private final List<Request> requests = new ArrayList<>();
    private int calls;

    private FakeOpenAi(Function<Request, Reply> responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** Answers with each reply in turn; past the script, HTTP 500. */
    public static FakeOpenAi scripted(Reply... replies) throws IOException {
        Deque<Reply> queue = new ArrayDeque<>(List.of(replies));
        return new FakeOpenAi(request -> {
            synchronized (queue) {
                return queue.isEmpty() ? new Status(500, "{\"error\":{\"message\":\"the script has no more replies\"}}")
                        : queue.poll();
            }
        });
    }

    /** Answers each request as {@code responder} decides. */
    public static FakeOpenAi answering(Function<Request, Reply> responder) throws IOException {
        return new FakeOpenAi(responder);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                send(exchange, 405, "application/json", "{\"error\":{\"message\":\"POST only\"}}");
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            Request request = new Request(body, Map.copyOf(exchange.getRequestHeaders()));
            int call;
            synchronized (this) {
                requests.add(request);
                call = ++calls;
            }
            Reply reply = responder.apply(request);
            if (reply instanceof Status s) {
                send(exchange, s.code(), "application/json", s.body());
            } else if (reply instanceof Garbage g) {
                send(exchange, 200, "application/json", g.body());
            } else if (reply instanceof Silence s) {
                sleep(s.duration());
            } else if (reply instanceof Text t) {
                if (request.streamed()) {
                    stream(exchange, call, textChunks(call, t.text()), t.pause());
                } else {
                    send(exchange, 200, "application/json", completion(call, t.text(), null).toString());
                }
            } else if (reply instanceof ToolCall c) {
                if (request.streamed()) {
                    stream(exchange, call, toolChunks(call, c), Duration.ZERO);
                } else {
                    send(exchange, 200, "application/json", completion(call, null, c).toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away (a stopped stream): nothing to answer.
        }
    }

    private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void stream(HttpExchange exchange, int call, List<ObjectNode> chunks, Duration pause) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (ObjectNode chunk : chunks) {
            out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            sleep(pause);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode completion(int call, String text, ToolCall tool) {
        ObjectNode root = envelope(call, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (tool != null) {
            message.putNull("content");
            ObjectNode fn = message.putArray("tool_calls").addObject().put("id", "call_" + call).put("type", "function")
                    .putObject("function");
            fn.put("name", tool.name()).put("arguments", tool.arguments());
            choice.put("finish_reason", "tool_calls");
        } else {
            message.put("content", text);
            choice.put("finish_reason", "stop");
        }
        root.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 10).put("total_tokens", 20);
        return root;
    }

    private static List<ObjectNode> textChunks(int call, String text) {
        List<ObjectNode> chunks = new ArrayList<>();
        for (int i = 0; i < text.length(); i += PIECE) {
            ObjectNode chunk = envelope(call, "chat.completion.chunk");
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            ObjectNode delta = choice.putObject("delta");
            if (i == 0) {
                delta.put("role", "assistant");
            }
            delta.put("content", text.substring(i, Math.min(text.length(), i + PIECE)));
            choice.putNull("finish_reason");
            chunks.add(chunk);
        }
        chunks.add(finish(call, "stop"));
        return chunks;
    }

    private static List<ObjectNode> toolChunks(int call, ToolCall tool) {
        List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode first = envelope(call, "chat.completion.chunk");
        ObjectNode choice = first.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta").put("role", "assistant");
        delta.putNull("content");
        ObjectNode tc = delta.putArray("tool_calls").addObject().put("index", 0).put("id", "call_" + call)
                .put("type", "function");
        tc.putObject("function").put("name", tool.name()).put("arguments", "");
        choice.putNull("finish_reason");
        chunks.add(first);
        String args = tool.arguments();
        for (int i = 0; i < args.length(); i += PIECE) {
            ObjectNode chunk = envelope(call, "chat.completion.chunk");
            ObjectNode c = chunk.putArray("choices").addObject().put("index", 0);
            c.putObject("delta").putArray("tool_calls").addObject().put("index", 0).putObject("function")
                    .put("arguments", args.substring(i, Math.min(args.length(), i + PIECE)));
            c.putNull("finish_reason");
            chunks.add(chunk);
        }
        chunks.add(finish(call, "tool_calls"));
        return chunks;
    }

    private static ObjectNode finish(int call, String reason) {
        ObjectNode chunk = envelope(call, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", reason);
        return chunk;
    }

    private static ObjectNode envelope(int call, String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-" + call).put("object", object).put("created", 1_700_000_000L).put("model", "fake-tutor");
        return root;
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
