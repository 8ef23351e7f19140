package dev.tinyvllm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    @TempDir
    static Path dir;
    static Qwen2Tokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        TokenizerFiles.write(dir, RandomQwen2Model.TOKENIZER_MERGES);
        tokenizer = Qwen2Tokenizer.load(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void anyTextRoundTrips() {
        for (String text : List.of("The key and value cache keeps what each layer has seen.",
                "  leading spaces, tabs\tand\nnewlines\r\n", "digits 1234567 and 3.14", "ünïcödé — 漢字 and emoji 🙂🚀",
                "", "don't won't I'LL")) {
            int[] ids = tokenizer.encode(text);
            assertEquals(text, tokenizer.decode(ids, false), "round trip of " + text);
        }
    }

    @Test
    void learnedMergesCompressAndDigitsStaySingle() {
        String text = "the assistant answers the question";
        assertTrue(tokenizer.encode(text).length < text.length() / 2, "BPE merges should shorten common words");
        // Qwen2 splits numbers into single digits before BPE.
        assertEquals(7, tokenizer.encode("1234567").length);
    }

    @Test
    void chatTemplateMarkersBecomeSingleSpecialIds() {
        String prompt = tokenizer.chatTemplate().render(List.of(ChatMessage.user("Hi there")), true);
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n", prompt);
        int[] ids = tokenizer.encodeChat(List.of(ChatMessage.user("Hi there")));
        int start = tokenizer.specialTokenId("<|im_start|>");
        int end = tokenizer.specialTokenId("<|im_end|>");
        assertEquals(start, ids[0]);
        assertEquals(3, java.util.Arrays.stream(ids).filter(i -> i == start).count());
        assertEquals(2, java.util.Arrays.stream(ids).filter(i -> i == end).count());
        assertEquals(prompt, tokenizer.decode(ids, false));
        assertEquals("system\nYou are a helpful assistant.\nuser\nHi there\nassistant\n", tokenizer.decode(ids, true));
        assertTrue(tokenizer.stopTokenIds().contains(end));
    }

    @Test
    void explicitSystemPromptReplacesTheDefault() {
        String prompt = tokenizer.chatTemplate().render(List.of(ChatMessage.system("Ask, never tell."),
                ChatMessage.user("Why?"), ChatMessage.assistant("What do you think?"), ChatMessage.user("Hm")), false);
        assertEquals("<|im_start|>system\nAsk, never tell.<|im_end|>\n<|im_start|>user\nWhy?<|im_end|>\n"
                + "<|im_start|>assistant\nWhat do you think?<|im_end|>\n<|im_start|>user\nHm<|im_end|>\n", prompt);
        assertThrows(IllegalArgumentException.class,
                () -> tokenizer.chatTemplate().render(List.of(ChatMessage.user("a"), ChatMessage.system("b")), true));
        assertThrows(IllegalArgumentException.class,
                () -> tokenizer.chatTemplate().render(List.of(new ChatMessage("tool", "x")), true));
    }

    @Test
    void streamDecoderHoldsBackSplitCharacters() {
        String text = "Paris 🙂 is the capital — ünïcödé";
        StringBuilder streamed = new StringBuilder();
        Qwen2Tokenizer.StreamDecoder decoder = tokenizer.streamDecoder();
        for (int id : tokenizer.encode(text)) {
            String piece = decoder.accept(id);
            assertTrue(!piece.contains("\uFFFD"), "no replacement character is ever emitted");
            streamed.append(piece);
        }
        assertEquals(text, streamed.toString());
    }

    @Test
    void aTemplateThatIsNotChatMlIsRefused() throws Exception {
        Path other = Files.createDirectories(dir.resolve("llama"));
        Files.writeString(other.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}\"}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ChatTemplate.read(other));
        assertTrue(e.getMessage().contains("not ChatML"), e.getMessage());
    }

    @Test
    void missingOrBrokenTokenizerFilesGiveClearErrors() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(assertThrows(ModelFormatException.class, () -> Qwen2Tokenizer.load(empty)).getMessage()
                .contains("no tokenizer.json"));
        Files.writeString(empty.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"");
        assertTrue(assertThrows(ModelFormatException.class, () -> Qwen2Tokenizer.load(empty)).getMessage()
                .contains("not valid JSON"));
    }
}
