package dev.tinyvllm.student;

import dev.tinyvllm.model.ChatMessage;
import dev.tinyvllm.model.ChatTemplate;
import dev.tinyvllm.model.Qwen2Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Qwen2's tokenizer, read from a model folder's {@code tokenizer.json} (and its chat template from
 * {@code tokenizer_config.json}). It runs the Hugging Face tokenizers library, so ids are exactly those
 * Python's Transformers would give.
 */
public final class Tokenizer implements AutoCloseable {

    private final Qwen2Tokenizer tokenizer;
    private final Path folder;

    private Tokenizer(Qwen2Tokenizer tokenizer, Path folder) {
        this.tokenizer = tokenizer;
        this.folder = folder;
    }

    /**
     * Loads the tokenizer of a model folder.
     *
     * @throws IllegalArgumentException when tokenizer.json is missing or not a byte-level BPE tokenizer
     */
    public static Tokenizer load(Path modelFolder) {
        return new Tokenizer(Qwen2Tokenizer.load(modelFolder), modelFolder);
    }

    /** The model folder it was loaded from. */
    public Path folder() {
        return folder;
    }

    /** The token ids of a text. Special tokens written in the text, such as {@code <|im_start|>}, become their own ids. */
    public int[] encode(String text) {
        return tokenizer.encode(text);
    }

    /**
     * The text of some token ids. Special tokens come out as their text ({@code <|im_end|>}), and a
     * sequence that ends inside a multi-byte character ends with the replacement character U+FFFD.
     */
    public String decode(int[] ids) {
        return tokenizer.decode(ids, false);
    }

    /**
     * A one-message conversation in the model's chat format, ending where the assistant's answer begins,
     * for example {@code <|im_start|>system ... <|im_end|> <|im_start|>user <message> <|im_end|>
     * <|im_start|>assistant} with newlines. The system part is the template's default, when it has one.
     */
    public String applyChatTemplate(String userMessage) {
        ChatTemplate template = tokenizer.chatTemplate() != null ? tokenizer.chatTemplate() : ChatTemplate.chatMl(null);
        return template.render(List.of(ChatMessage.user(userMessage)), true);
    }

    /** The ids that end an answer: {@code <|im_end|>} and {@code <|endoftext|>}. */
    public Set<Integer> stopTokenIds() {
        return tokenizer.stopTokenIds();
    }

    /** One more than the largest id the tokenizer knows. The model's vocabulary may be larger. */
    public int vocabularySize() {
        return tokenizer.vocabularySize();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
