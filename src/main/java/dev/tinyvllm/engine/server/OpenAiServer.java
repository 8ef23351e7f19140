package dev.tinyvllm.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tinyvllm.engine.LlmEngine;
import dev.tinyvllm.engine.SamplingParams;
import dev.tinyvllm.engine.Sequence;
import dev.tinyvllm.model.ChatMessage;
import dev.tinyvllm.model.Qwen2Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible HTTP server on the loopback interface: {@code POST /v1/chat/completions} (whole
 * answers or server-sent events with {@code "stream": true}) and {@code GET /v1/models}. Every request
 * joins the engine's running batch. A malformed request gets a 400 with a JSON error naming the problem;
 * a client that goes away mid-stream has its request aborted and its cache blocks freed.
 */
public final class OpenAiServer implements AutoCloseable {

    private static final int MAX_BODY = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Qwen2Tokenizer tokenizer;
    private final String modelName;
    private final EngineLoop loop;
    private final HttpServer http;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tinyvllm-http");
        t.setDaemon(true);
        return t;
    });

    /** Bad input from the client: a 400 (or the given status) with this message. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private sealed interface Event permits Piece, End {}

    private record Piece(String text) implements Event {}

    private record End(Sequence seq) implements Event {}

    /** Starts serving on 127.0.0.1 at {@code port} (0: any free port). */
    public OpenAiServer(LlmEngine engine, Qwen2Tokenizer tokenizer, String modelName, int port) throws IOException {
        this.tokenizer = tokenizer;
        this.modelName = modelName;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.loop = new EngineLoop(engine);
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Runs a read-only look at the engine on its own thread (tests check the block counts with it). */
    public <T> T inspect(java.util.function.Function<LlmEngine, T> f) throws InterruptedException, ExecutionException {
        return loop.submit(f).get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            try {
                if (path.equals("/v1/models") || path.equals("/models")) {
                    requireMethod(ex, "GET");
                    ObjectNode list = JSON.createObjectNode().put("object", "list");
                    list.putArray("data").addObject().put("id", modelName).put("object", "model").put("owned_by", "tiny-vllm");
                    send(ex, 200, list);
                } else if (path.equals("/v1/chat/completions") || path.equals("/chat/completions")) {
                    requireMethod(ex, "POST");
                    chat(ex, parse(ex));
                } else {
                    throw new BadRequest(404, "no such endpoint: " + path + " (try POST /v1/chat/completions)");
                }
            } catch (BadRequest e) {
                error(ex, e.status, e.getMessage(), e.status == 404 ? "not_found_error" : "invalid_request_error");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error(ex, 503, "the server is shutting down", "server_error");
            } catch (RuntimeException e) {
                error(ex, 500, "internal error: " + e.getMessage(), "server_error");
            }
        }
    }

    private static void requireMethod(HttpExchange ex, String method) throws BadRequest {
        if (!ex.getRequestMethod().equalsIgnoreCase(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new BadRequest(405, ex.getRequestMethod() + " is not allowed here; use " + method);
        }
    }

    private static JsonNode parse(HttpExchange ex) throws IOException, BadRequest {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new BadRequest(413, "the request body is larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new BadRequest(400, "the request body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest(400, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private void chat(HttpExchange ex, JsonNode req) throws IOException, BadRequest, InterruptedException {
        JsonNode messages = req.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new BadRequest(400, "\"messages\" must be a non-empty array of {role, content}");
        }
        List<ChatMessage> chat = new ArrayList<>();
        for (JsonNode m : messages) {
            JsonNode role = m.get("role");
            JsonNode content = m.get("content");
            if (role == null || !role.isTextual() || content == null || !content.isTextual()) {
                throw new BadRequest(400, "each message needs a string \"role\" and a string \"content\", got " + m);
            }
            chat.add(new ChatMessage(role.asText(), content.asText()));
        }
        int[] prompt;
        try {
            prompt = tokenizer.encodeChat(chat);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, e.getMessage());
        }
        SamplingParams params;
        try {
            params = new SamplingParams(number(req, "temperature", 1.0), (int) number(req, "top_k", 0),
                    number(req, "top_p", 1.0), (long) number(req, "seed", 0), (int) number(req, "max_tokens",
                            number(req, "max_completion_tokens", 256)), tokenizer.stopTokenIds(), false, false);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, e.getMessage());
        }
        boolean stream = req.path("stream").asBoolean(false);

        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Qwen2Tokenizer.StreamDecoder decoder = tokenizer.streamDecoder();
        Set<Integer> stops = params.stopTokenIds();
        Sequence.Listener listener = new Sequence.Listener() {
            @Override
            public void onToken(Sequence seq, int token) {
                if (!stops.contains(token)) {
                    String piece = decoder.accept(token);
                    if (!piece.isEmpty()) {
                        events.add(new Piece(piece));
                    }
                }
            }

            @Override
            public void onFinish(Sequence seq) {
                String rest = decoder.finish();
                if (!rest.isEmpty()) {
                    events.add(new Piece(rest));
                }
                events.add(new End(seq));
            }
        };
        Sequence seq;
        try {
            seq = loop.submit(e -> e.add(prompt, params, listener)).get();
        } catch (ExecutionException e) {
            throw new BadRequest(400, e.getCause().getMessage());
        }
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        if (!stream) {
            StringBuilder text = new StringBuilder();
            Sequence done = drain(events, text::append);
            if (done.finishReason() == Sequence.FinishReason.ERROR || done.finishReason() == Sequence.FinishReason.ABORTED) {
                error(ex, 500, "generation failed: " + (done.error() != null ? done.error() : "aborted"), "server_error");
                return;
            }
            ObjectNode r = JSON.createObjectNode().put("id", id).put("object", "chat.completion").put("created", created)
                    .put("model", modelName);
            ObjectNode choice = r.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", text.toString());
            choice.put("finish_reason", finishReason(done));
            r.putObject("usage").put("prompt_tokens", prompt.length).put("completion_tokens", done.output().length)
                    .put("total_tokens", prompt.length + done.output().length);
            send(ex, 200, r);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        try {
            sse(out, chunk(id, created, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
            Sequence done = drainStreaming(events, piece ->
                    sse(out, chunk(id, created, JSON.createObjectNode().put("content", piece), null)));
            sse(out, chunk(id, created, JSON.createObjectNode(), finishReason(done)));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The client went away: stop generating for it.
            loop.submit(engine -> {
                engine.abort(seq);
                return null;
            });
        }
    }

    private interface PieceWriter {
        void write(String piece) throws IOException;
    }

    private static Sequence drain(LinkedBlockingQueue<Event> events, java.util.function.Consumer<String> text)
            throws InterruptedException {
        while (true) {
            Event e = events.take();
            if (e instanceof Piece p) {
                text.accept(p.text());
            } else {
                return ((End) e).seq();
            }
        }
    }

    private static Sequence drainStreaming(LinkedBlockingQueue<Event> events, PieceWriter out)
            throws InterruptedException, IOException {
        while (true) {
            Event e = events.take();
            if (e instanceof Piece p) {
                out.write(p.text());
            } else {
                return ((End) e).seq();
            }
        }
    }

    private ObjectNode chunk(String id, long created, ObjectNode delta, String finish) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", modelName);
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return c;
    }

    private static void sse(OutputStream out, ObjectNode data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String finishReason(Sequence s) {
        return s.finishReason() == Sequence.FinishReason.LENGTH ? "length" : "stop";
    }

    private static double number(JsonNode req, String name, double fallback) throws BadRequest {
        JsonNode n = req.get(name);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw new BadRequest(400, "\"" + name + "\" must be a number, got " + n);
        }
        return n.doubleValue();
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange ex, int status, String message, String type) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("error").put("message", message).put("type", type).putNull("code");
        send(ex, status, e);
    }

    @Override
    public void close() {
        http.stop(0);
        loop.close();
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
