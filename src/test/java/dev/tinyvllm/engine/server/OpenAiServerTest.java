package dev.tinyvllm.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.tinyvllm.engine.LlmEngine;
import dev.tinyvllm.engine.WeightFormat;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Tokenizer;
import dev.tinyvllm.model.RandomQwen2Model;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI-compatible server on loopback, spoken to by a plain HTTP client and by langchain4j. */
class OpenAiServerTest {

    @TempDir
    static Path dir;
    static Qwen2Tokenizer tokenizer;
    static OpenAiServer server;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        RandomQwen2Model.write(dir, RandomQwen2Model.tiny(64, 4, 2, 2, true), DType.F32, 11, 1);
        tokenizer = Qwen2Tokenizer.load(dir);
        server = new OpenAiServer(LlmEngine.load(dir, WeightFormat.F32, 16), tokenizer, "tiny", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        tokenizer.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String request(boolean stream, int maxTokens) {
        return "{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\", \"content\": \"Tell me about caches\"}],"
                + " \"max_tokens\": " + maxTokens + ", \"temperature\": 0, \"stream\": " + stream + "}";
    }

    @Test
    void aCompletionAndItsStreamCarryTheSameText() throws Exception {
        HttpResponse<String> whole = post("/v1/chat/completions", request(false, 12));
        assertEquals(200, whole.statusCode(), whole.body());
        JsonNode r = JSON.readTree(whole.body());
        assertEquals("chat.completion", r.get("object").asText());
        String text = r.at("/choices/0/message/content").asText();
        assertEquals(12, r.at("/usage/completion_tokens").asInt());
        assertTrue(r.at("/usage/prompt_tokens").asInt() > 5);
        assertTrue(List.of("length", "stop").contains(r.at("/choices/0/finish_reason").asText()));

        HttpResponse<String> streamed = post("/v1/chat/completions", request(true, 12));
        assertEquals(200, streamed.statusCode());
        assertTrue(streamed.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        StringBuilder joined = new StringBuilder();
        List<String> events = new ArrayList<>();
        for (String line : streamed.body().split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            }
        }
        assertEquals("[DONE]", events.get(events.size() - 1));
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(e);
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            joined.append(chunk.at("/choices/0/delta/content").asText(""));
        }
        assertEquals(text, joined.toString(), "greedy: the stream spells out the same answer");
        assertEquals(r.at("/choices/0/finish_reason").asText(),
                JSON.readTree(events.get(events.size() - 2)).at("/choices/0/finish_reason").asText());
    }

    @Test
    void malformedRequestsGetA400WithAClearJsonError() throws Exception {
        String[][] cases = {
            {"{\"messages\": [", "not valid JSON"},
            {"[1, 2]", "JSON object"},
            {"{\"model\": \"tiny\"}", "\"messages\" must be a non-empty array"},
            {"{\"messages\": [{\"role\": \"user\"}]}", "string \"content\""},
            {"{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}", "not supported"},
            {"{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"temperature\": \"hot\"}", "must be a number"},
            {"{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"max_tokens\": 0}", "max_tokens"},
            {"{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"top_p\": 3}", "top_p"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post("/v1/chat/completions", c[0]);
            assertEquals(400, r.statusCode(), c[0] + " → " + r.body());
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertTrue(error.get("message").asText().contains(c[1]), c[0] + " → " + r.body());
            assertEquals("invalid_request_error", error.get("type").asText());
        }
        assertEquals(404, post("/v1/embeddings", "{}").statusCode());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/chat/completions")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/models")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("tiny", JSON.readTree(models.body()).at("/data/0/id").asText());
    }

    @Test
    void concurrentRequestsShareTheBatchAndLeaveNoBlockBehind() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("/v1/chat/completions", request(true, 20));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode());
            assertTrue(r.body().trim().endsWith("data: [DONE]"), r.body());
        }
        assertEquals(0, (int) server.inspect(e -> e.blockManager().blocksInUse()));
    }

    @Test
    void aClientThatHangsUpMidStreamIsAborted() throws Exception {
        String body = request(true, 2000);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            byte[] first = new byte[200];
            assertTrue(in.read(first) > 0, "the stream started");
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.inspect(e -> e.hasUnfinished()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(!server.inspect(e -> e.hasUnfinished()), "the abandoned request was stopped");
        assertEquals(0, (int) server.inspect(e -> e.blockManager().blocksInUse()));
    }

    @Test
    void langchain4jTalksToItAsToAnyOpenAiServer() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                .modelName("tiny").maxTokens(8).temperature(0.0).maxRetries(0).timeout(Duration.ofSeconds(60))
                .httpClientBuilder(JdkHttpClient.builder().httpClientBuilder(
                        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)))
                .build();
        String answer = model.chat("What is a KV cache?");
        assertTrue(answer != null && !answer.isEmpty());
    }
}
