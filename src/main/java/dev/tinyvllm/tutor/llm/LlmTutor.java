package dev.tinyvllm.tutor.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.tutor.Cancellation;
import dev.tinyvllm.tutor.ModelUnavailableException;
import dev.tinyvllm.tutor.TutorConfig;
import dev.tinyvllm.tutor.TutorModel;
import dev.tinyvllm.tutor.TutorOutput;
import dev.tinyvllm.tutor.guard.Guard;
import dev.tinyvllm.tutor.guard.GuardedStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tutor as an LLM at any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp, the
 * course's own engine), through langchain4j. One turn: the model gets the system prompt, the
 * conversation so far and the student's message headed by the session's facts; it may call tools;
 * its answer streams through the guard sentence by sentence. An answer the guard stops is written
 * again with the reason, at most {@value #MAX_REGENERATIONS} times, and then the offline tutor's
 * answer takes its place. Only the answers the student saw are kept in the conversation.
 */
public final class LlmTutor implements TutorModel {

    static final int MAX_REGENERATIONS = 2;
    static final int MAX_TOOL_ROUNDS = 6;
    private static final int HISTORY_MESSAGES = 24;
    private static final int LOGGED_RESULT_CHARS = 4000;
    private static final int TOOL_RESULT_CHARS = 16000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatBackend backend;
    private final String model;
    private final String endpoint;
    private final String systemPrompt;
    private final List<ChatMessage> history = new ArrayList<>();

    LlmTutor(ChatBackend backend, String model, String endpoint) {
        this.backend = backend;
        this.model = model;
        this.endpoint = endpoint;
        this.systemPrompt = Resources.requireText("prompts/tutor.md");
    }

    /** The tutor for a configured endpoint; HTTP/1.1 always, since local servers drop h2c upgrade bodies. */
    public static LlmTutor create(TutorConfig config) {
        quietLogging();
        Duration timeout = config.timeout();
        Duration connect = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
        JdkHttpClientBuilder http = JdkHttpClient.builder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connect))
                .connectTimeout(connect)
                .readTimeout(timeout);
        ChatBackend backend;
        if (config.stream()) {
            OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder b = OpenAiStreamingChatModel.builder()
                    .httpClientBuilder(http).baseUrl(config.baseUrl()).modelName(config.model()).timeout(timeout);
            if (config.apiKey() != null) {
                b.apiKey(config.apiKey());
            }
            backend = new StreamingBackend(b.build(), timeout);
        } else {
            OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder()
                    .httpClientBuilder(http).baseUrl(config.baseUrl()).modelName(config.model()).timeout(timeout)
                    .maxRetries(0);
            if (config.apiKey() != null) {
                b.apiKey(config.apiKey());
            }
            backend = new PlainBackend(b.build(), timeout);
        }
        return new LlmTutor(backend, config.model(), config.endpointForDisplay());
    }

    /** langchain4j logs through SLF4J, which has no backend here and would warn on the student's screen. */
    private static void quietLogging() {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public synchronized void remember(String tutorText) {
        history.add(AiMessage.from(tutorText));
        trimHistory();
    }

    @Override
    public synchronized Answer answer(Turn turn, TutorOutput out, Cancellation cancel)
            throws ModelUnavailableException, InterruptedException {
        TutorTools tools = new TutorTools(turn.workbench());
        List<ToolSpecification> specs = ToolSpecifications.toolSpecificationsFrom(tools);
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(systemPrompt + "\n\n" + turn.stepBrief()));
        messages.addAll(history);
        messages.add(UserMessage.from("[Session facts from the tutor program; the student did not write them]\n"
                + turn.facts() + "\n[The student says]\n" + turn.studentText()));
        // The student's words stay in the conversation whatever happens to this turn.
        history.add(UserMessage.from(turn.studentText()));
        trimHistory();

        StringBuilder shown = new StringBuilder();
        String separator = "";
        int regenerations = 0;
        int toolRounds = 0;
        while (true) {
            if (cancel.isCancelled()) {
                throw new InterruptedException("stopped");
            }
            Attempt attempt = new Attempt(turn, out, shown.toString(), separator);
            ChatRequest request = ChatRequest.builder().messages(messages).toolSpecifications(specs).build();
            ChatBackend.Reply reply;
            try {
                reply = backend.chat(request, attempt::accept, cancel);
            } catch (ModelUnavailableException e) {
                if (cancel.isCancelled()) {
                    // Stopping the stream closes it, which the client reports as a failure: it is not one.
                    throw new InterruptedException("stopped");
                }
                shown.append(attempt.shown());
                if (shown.length() == 0) {
                    throw e;
                }
                turn.log().accept(new TranscriptEvent.Error("llm", e.getMessage(),
                        "the answer broke off; the offline tutor's answer ends it"));
                return fallback(turn, out, shown);
            }
            if (cancel.isCancelled()) {
                throw new InterruptedException("stopped");
            }
            Optional<Guard.Violation> stopped = reply.stopped() ? attempt.violation() : Optional.empty();
            if (stopped.isEmpty() && reply.response() != null && reply.response().aiMessage().hasToolExecutionRequests()) {
                Optional<Guard.Violation> before = attempt.finish();
                if (before.isPresent()) {
                    stopped = before;
                } else {
                    shown.append(attempt.shown());
                    separator = shown.length() == 0 ? "" : " ";
                    if (++toolRounds > MAX_TOOL_ROUNDS) {
                        turn.log().accept(new TranscriptEvent.Error("llm", "more than " + MAX_TOOL_ROUNDS
                                + " rounds of tool calls in one answer", "the offline tutor's answer ends it"));
                        return fallback(turn, out, shown);
                    }
                    messages.add(reply.response().aiMessage());
                    for (ToolExecutionRequest call : reply.response().aiMessage().toolExecutionRequests()) {
                        messages.add(runTool(call, tools, specs, turn));
                        if (cancel.isCancelled()) {
                            throw new InterruptedException("stopped");
                        }
                    }
                    continue;
                }
            }
            if (stopped.isEmpty() && attempt.written().isBlank() && shown.length() == 0) {
                // Some servers answer 200 with an error page or an empty stream: as good as down.
                throw new ModelUnavailableException("the endpoint sent an empty answer", null);
            }
            if (stopped.isEmpty()) {
                stopped = attempt.finish();
            }
            shown.append(attempt.shown());
            if (stopped.isPresent()) {
                Guard.Violation v = stopped.get();
                boolean again = regenerations < MAX_REGENERATIONS;
                turn.log().accept(new TranscriptEvent.GuardIntervention(v.reason().wire(), v.detail(), v.excerpt(),
                        regenerations + 1, again ? "regenerate" : "fallback"));
                if (!again) {
                    return fallback(turn, out, shown);
                }
                regenerations++;
                messages.add(AiMessage.from(attempt.written().isEmpty() ? "(empty)" : attempt.written()));
                messages.add(UserMessage.from("[Tutor program] Your last reply was withheld from the student "
                        + (shown.length() == 0 ? "" : "after the part they already saw ") + "because " + v.instruction()
                        + " Answer the student's last message again, following your rules: no code, a few sentences, "
                        + "end with exactly one question." + (shown.length() == 0 ? "" : " Do not repeat what they saw.")));
                separator = shown.length() == 0 ? "" : "\n";
                continue;
            }
            String text = shown.toString();
            Optional<Guard.Violation> whole = turn.guard().check(text, turn.studentOwn());
            if (whole.isEmpty()) {
                history.add(AiMessage.from(text));
                trimHistory();
                return new Answer(text, "llm");
            }
            Guard.Violation v = whole.get();
            boolean again = regenerations < MAX_REGENERATIONS;
            turn.log().accept(new TranscriptEvent.GuardIntervention(v.reason().wire(), v.detail(), v.excerpt(),
                    regenerations + 1, again ? "regenerate" : "fallback"));
            if (!again) {
                return fallback(turn, out, shown);
            }
            regenerations++;
            if (v.reason() == Guard.Reason.NO_QUESTION) {
                // What was shown stays; the model adds the question it owes.
                messages.add(AiMessage.from(attempt.written().isEmpty() ? "(empty)" : attempt.written()));
                messages.add(UserMessage.from("[Tutor program] Your reply did not end with a question for the student. "
                        + "Write only one short question that follows from what you said; it is shown right after your "
                        + "reply. No code."));
                separator = shown.length() == 0 ? "" : " ";
            } else {
                messages.add(AiMessage.from(attempt.written()));
                messages.add(UserMessage.from("[Tutor program] Your last reply was withheld because " + v.instruction()
                        + " Answer the student's last message again."));
                separator = shown.length() == 0 ? "" : "\n";
            }
        }
    }

    /** The offline tutor's answer, after whatever the student already saw. */
    private Answer fallback(Turn turn, TutorOutput out, StringBuilder shown) {
        String offline = turn.fallback().get();
        String text = shown.length() == 0 ? offline : "\n" + offline;
        out.tutorText(text);
        shown.append(text);
        String all = shown.toString();
        history.add(AiMessage.from(all));
        trimHistory();
        return new Answer(all, "offline");
    }

    private ToolExecutionResultMessage runTool(ToolExecutionRequest call, TutorTools tools, List<ToolSpecification> specs,
            Turn turn) {
        Map<String, Object> arguments;
        try {
            String raw = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
            arguments = JSON.readValue(raw, new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            arguments = Map.of("unparsed", String.valueOf(call.arguments()));
        }
        String id = call.id() == null ? call.name() : call.id();
        turn.log().accept(new TranscriptEvent.ToolCall(id, call.name(), arguments));
        long start = System.nanoTime();
        String result;
        boolean ok;
        if (specs.stream().noneMatch(s -> s.name().equals(call.name()))) {
            result = "there is no tool " + call.name() + "; the tools are: "
                    + String.join(", ", specs.stream().map(ToolSpecification::name).toList());
            ok = false;
        } else {
            try {
                result = new DefaultToolExecutor(tools, toolMethod(call.name())).execute(call, "session");
                ok = result != null;
                if (result == null) {
                    result = "(no result)";
                }
            } catch (RuntimeException e) {
                result = "the tool failed: " + Failures.describe(e);
                ok = false;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        turn.log().accept(new TranscriptEvent.ToolResult(id, call.name(), ok, cut(result, LOGGED_RESULT_CHARS), millis));
        return ToolExecutionResultMessage.from(call, cut(result, TOOL_RESULT_CHARS));
    }

    /** The method behind a tool; tools are named by their annotation, not by the Java method. */
    private static java.lang.reflect.Method toolMethod(String name) {
        for (java.lang.reflect.Method m : TutorTools.class.getMethods()) {
            dev.langchain4j.agent.tool.Tool tool = m.getAnnotation(dev.langchain4j.agent.tool.Tool.class);
            if (tool != null && (tool.name().equals(name) || (tool.name().isEmpty() && m.getName().equals(name)))) {
                return m;
            }
        }
        throw new IllegalArgumentException("no tool " + name);
    }

    /** The head and the tail of a long text: a report ends with its verdict. */
    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int tail = max / 4;
        return s.substring(0, max - tail) + "\n… (" + (s.length() - max) + " characters cut) …\n"
                + s.substring(s.length() - tail);
    }

    /** Keeps the last messages, starting at a student's message. */
    private void trimHistory() {
        while (history.size() > HISTORY_MESSAGES || (!history.isEmpty() && !(history.get(0) instanceof UserMessage))) {
            history.remove(0);
        }
    }

    /** One request's worth of answer: streamed through the guard, after a separator once something shows. */
    private static final class Attempt {
        private final GuardedStream stream;
        private final StringBuilder shown = new StringBuilder();

        Attempt(Turn turn, TutorOutput out, String shownBefore, String separator) {
            this.stream = new GuardedStream(turn.guard(), turn.studentOwn(), chunk -> {
                String text = shown.length() == 0 ? separator + chunk : chunk;
                shown.append(text);
                out.tutorText(text);
            }, shownBefore + separator);
        }

        boolean accept(String chunk) {
            return stream.accept(chunk).isEmpty();
        }

        Optional<Guard.Violation> finish() {
            return stream.finish();
        }

        Optional<Guard.Violation> violation() {
            return stream.finish();
        }

        /** What the student saw of this attempt, separator included. */
        String shown() {
            return shown.toString();
        }

        String written() {
            return stream.written();
        }
    }
}
