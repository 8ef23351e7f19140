package dev.tinyvllm.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Qwen2's byte-level BPE tokenizer, run by the Hugging Face tokenizers library (Rust, through DJL's
 * binding, whose jar bundles the native library), so ids match Python's exactly. Special tokens written in
 * the text ({@code <|im_start|>}) become their ids, as in Transformers.
 */
public final class Qwen2Tokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> specialTokens;
    private final ChatTemplate chatTemplate;
    private final int vocabularySize;

    private Qwen2Tokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> specialTokens,
            ChatTemplate chatTemplate, int vocabularySize) {
        this.tokenizer = tokenizer;
        this.specialTokens = specialTokens;
        this.chatTemplate = chatTemplate;
        this.vocabularySize = vocabularySize;
    }

    /** Loads {@code tokenizer.json} (and the chat template from {@code tokenizer_config.json}, when present). */
    public static Qwen2Tokenizer load(Path folder) {
        Path file = folder.resolve("tokenizer.json");
        if (!Files.exists(file)) {
            throw new ModelFormatException(folder + ": no tokenizer.json");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !"BPE".equals(root.path("model").path("type").asText())) {
            throw new ModelFormatException(file + ": not a BPE tokenizer (model.type is "
                    + (root == null ? "missing" : root.path("model").path("type")) + ")");
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        int maxId = root.path("model").path("vocab").size() - 1;
        for (JsonNode t : root.path("added_tokens")) {
            specials.put(t.path("content").asText(), t.path("id").asInt());
            maxId = Math.max(maxId, t.path("id").asInt());
        }
        HuggingFaceTokenizer hf;
        try {
            // Plain options: no truncation, no padding, nothing added around the text.
            hf = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false",
                    "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(file + ": the tokenizers library cannot load it: " + e.getMessage(), e);
        }
        ChatTemplate template = Files.exists(folder.resolve("tokenizer_config.json"))
                ? chatTemplateOrNull(folder) : null;
        return new Qwen2Tokenizer(hf, Collections.unmodifiableMap(specials), template, maxId + 1);
    }

    private static ChatTemplate chatTemplateOrNull(Path folder) {
        try {
            return ChatTemplate.read(folder);
        } catch (ModelFormatException e) {
            if (e.getMessage().contains("has no chat_template")) {
                return null;
            }
            throw e;
        }
    }

    /** Token ids of a text. */
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** Text of token ids; special tokens are kept or dropped. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    public String decode(List<Integer> ids, boolean skipSpecialTokens) {
        return decode(ids.stream().mapToInt(Integer::intValue).toArray(), skipSpecialTokens);
    }

    /** Ids one past the largest the tokenizer knows (ordinary vocabulary plus added tokens). */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** Added tokens by their text ({@code <|im_end|>} → id). */
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    /** The id of a special token, or -1. */
    public int specialTokenId(String token) {
        return specialTokens.getOrDefault(token, -1);
    }

    /** Ids that end a generation: {@code <|im_end|>} and {@code <|endoftext|>} when the tokenizer has them. */
    public Set<Integer> stopTokenIds() {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String s : List.of(TokenizerFiles.IM_END, TokenizerFiles.ENDOFTEXT)) {
            if (specialTokens.containsKey(s)) {
                ids.add(specialTokens.get(s));
            }
        }
        return ids;
    }

    /** The model's chat template, or null when the folder has none. */
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    /** Token ids of a chat rendered with the model's template, ready for generation. */
    public int[] encodeChat(List<ChatMessage> messages) {
        ChatTemplate t = chatTemplate != null ? chatTemplate : ChatTemplate.chatMl(null);
        return encode(t.render(messages, true));
    }

    /** A decoder that turns a stream of generated ids into text pieces, holding back incomplete characters. */
    public StreamDecoder streamDecoder() {
        return new StreamDecoder(this);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * Incremental detokenization: decodes a short window of recent ids and emits only the new text, and
     * waits while the text ends in a partial UTF-8 character (a byte-level token may carry half of one).
     */
    public static final class StreamDecoder {
        private final Qwen2Tokenizer tokenizer;
        private final java.util.ArrayList<Integer> ids = new java.util.ArrayList<>();
        private int prefixOffset;
        private int readOffset;

        StreamDecoder(Qwen2Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }

        /** Adds one id; returns the text it completes (maybe empty). */
        public String accept(int id) {
            ids.add(id);
            String prefix = tokenizer.decode(ids.subList(prefixOffset, readOffset), true);
            String full = tokenizer.decode(ids.subList(prefixOffset, ids.size()), true);
            // A UTF-8 character has at most 4 bytes: after that many held-back tokens the bytes are invalid
            // (a model can produce any byte sequence) and are shown as replacement characters.
            boolean stuck = ids.size() - readOffset > 4;
            if (full.length() > prefix.length() && (!full.endsWith("\uFFFD") || stuck)) {
                String delta = full.substring(prefix.length());
                prefixOffset = readOffset;
                readOffset = ids.size();
                return delta;
            }
            return "";
        }

        /** The text still held back at the end of the stream (incomplete bytes become replacement characters). */
        public String finish() {
            String prefix = tokenizer.decode(ids.subList(prefixOffset, readOffset), true);
            String full = tokenizer.decode(ids.subList(prefixOffset, ids.size()), true);
            prefixOffset = readOffset = ids.size();
            return full.length() > prefix.length() ? full.substring(prefix.length()) : "";
        }
    }
}
