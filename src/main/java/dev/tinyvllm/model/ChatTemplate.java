package dev.tinyvllm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Qwen2's chat format (ChatML) applied in Java, from the template in {@code tokenizer_config.json}.
 *
 * <p>This is not a Jinja engine. It recognises a ChatML template (one that frames messages with
 * {@code <|im_start|>role\n ... <|im_end|>\n}) and reproduces what Qwen2 and Qwen2.5 templates render for
 * plain conversations: the system, user and assistant roles, the template's default system prompt when the
 * conversation has none, and the generation prompt {@code <|im_start|>assistant\n}. Tool calls, tool
 * results and multimodal content are not supported; a template that is not ChatML is refused with an error.
 */
public final class ChatTemplate {

    private static final Pattern DEFAULT_SYSTEM =
            Pattern.compile("<\\|im_start\\|>system\\\\n(.*?)<\\|im_end\\|>", Pattern.DOTALL);
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private final String defaultSystemPrompt;

    private ChatTemplate(String defaultSystemPrompt) {
        this.defaultSystemPrompt = defaultSystemPrompt;
    }

    /** ChatML with the given default system prompt (null: none). */
    public static ChatTemplate chatMl(String defaultSystemPrompt) {
        return new ChatTemplate(defaultSystemPrompt);
    }

    /** Reads the template of a model folder's {@code tokenizer_config.json}. */
    public static ChatTemplate read(Path folder) {
        Path file = folder.resolve("tokenizer_config.json");
        if (!Files.exists(file)) {
            throw new ModelFormatException(folder + ": no tokenizer_config.json, so no chat template");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode t = root == null ? null : root.get("chat_template");
        if (t != null && t.isArray()) {
            JsonNode chosen = null;
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText())) {
                    chosen = named.get("template");
                }
            }
            t = chosen;
        }
        if (t == null || !t.isTextual()) {
            throw new ModelFormatException(file + ": has no chat_template");
        }
        return parse(t.asText(), file.toString());
    }

    /** Recognises a ChatML template's text. */
    public static ChatTemplate parse(String template, String source) {
        if (!template.contains("<|im_start|>") || !template.contains("<|im_end|>")) {
            throw new ModelFormatException(source + ": the chat template is not ChatML (no <|im_start|>/<|im_end|>); "
                    + "only Qwen2's ChatML format is supported");
        }
        Matcher m = DEFAULT_SYSTEM.matcher(template);
        String system = null;
        if (m.find() && !m.group(1).contains("'") && !m.group(1).contains("{")) {
            system = m.group(1).replace("\\n", "\n");
        }
        return new ChatTemplate(system);
    }

    /** The system prompt added when a conversation starts without one (null when the template adds none). */
    public String defaultSystemPrompt() {
        return defaultSystemPrompt;
    }

    /** The prompt text for a conversation; with {@code addGenerationPrompt} it ends where the assistant speaks. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage msg = messages.get(i);
            if (!ROLES.contains(msg.role())) {
                throw new IllegalArgumentException("chat role \"" + msg.role() + "\" is not supported (use system, user or assistant)");
            }
            if (msg.role().equals("system") && i > 0) {
                throw new IllegalArgumentException("a system message may only come first");
            }
            if (i == 0 && !msg.role().equals("system") && defaultSystemPrompt != null) {
                sb.append("<|im_start|>system\n").append(defaultSystemPrompt).append("<|im_end|>\n");
            }
            sb.append("<|im_start|>").append(msg.role()).append('\n').append(msg.content()).append("<|im_end|>\n");
        }
        if (addGenerationPrompt) {
            sb.append("<|im_start|>assistant\n");
        }
        return sb.toString();
    }
}
