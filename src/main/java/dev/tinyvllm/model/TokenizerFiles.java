package dev.tinyvllm.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a small tokenizer in exactly the format of Qwen2's {@code tokenizer.json} and
 * {@code tokenizer_config.json}: byte-level BPE with Qwen2's pre-tokenizer split, its special tokens
 * after the ordinary vocabulary, and its ChatML chat template. The merges are learned here from a short
 * built-in text, so the tokenizer really compresses English a little, and any UTF-8 text round-trips.
 */
public final class TokenizerFiles {

    /** Qwen2's pre-tokenizer: contractions, words, single digits, punctuation runs, newlines, spaces. */
    public static final String QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    public static final String ENDOFTEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    /** Qwen2-Instruct's chat template, as its tokenizer_config.json carries it. */
    public static final String QWEN2_CHAT_TEMPLATE = "{% for message in messages %}{% if loop.first and messages[0]['role'] "
            + "!= 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
            + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final String CORPUS = """
            You are a helpful assistant. The user asks a question and the assistant answers it.
            A tiny engine reads the model weights, splits the prompt into tokens, and runs the layers one
            after the other: attention with rotary positions, then the feed-forward block. The key and value
            cache keeps what each layer has seen, so the next token costs one step instead of the whole
            prompt again. Blocks of the cache are shared when two requests start with the same system
            prompt. The scheduler lets requests join and leave at every step, and a long prompt is split
            into chunks so that short answers keep flowing. What is the capital of France? It is Paris.
            How many tokens per second does the engine decode? Count them, then compare with the limit
            that memory bandwidth sets. Write the test first, then the code, then measure again.
            """;

    private TokenizerFiles() {}

    /** Writes tokenizer.json and tokenizer_config.json with {@code merges} learned merges; returns the vocabulary size. */
    public static int write(Path folder, int merges) throws IOException {
        List<String> vocab = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            vocab.add(String.valueOf(ByteLevel.charOf(b)));
        }
        List<String[]> learned = learnMerges(merges);
        java.util.Set<String> known = new java.util.HashSet<>(vocab);
        for (String[] m : learned) {
            // Two merge paths can build the same string ("a"+"bc", "ab"+"c"); it gets one id.
            if (known.add(m[0] + m[1])) {
                vocab.add(m[0] + m[1]);
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {ENDOFTEXT, IM_START, IM_END};
        for (int i = 0; i < specials.length; i++) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.size() + i);
            t.put("content", specials[i]);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode pres = pre.putArray("pretokenizers");
        ObjectNode split = pres.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", QWEN2_SPLIT);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        byteLevel(pres.addObject());
        byteLevel(root.putObject("post_processor"));
        byteLevel(root.putObject("decoder"));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        ArrayNode m = model.putArray("merges");
        for (String[] pair : learned) {
            m.add(pair[0] + " " + pair[1]);
        }
        Files.writeString(folder.resolve("tokenizer.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));

        ObjectNode config = json.createObjectNode();
        config.put("add_prefix_space", false);
        ObjectNode decoder = config.putObject("added_tokens_decoder");
        for (int i = 0; i < specials.length; i++) {
            ObjectNode t = decoder.putObject(String.valueOf(vocab.size() + i));
            t.put("content", specials[i]);
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
        }
        config.putArray("additional_special_tokens").add(IM_START).add(IM_END);
        config.putNull("bos_token");
        config.put("chat_template", QWEN2_CHAT_TEMPLATE);
        config.put("clean_up_tokenization_spaces", false);
        config.put("eos_token", IM_END);
        config.put("errors", "replace");
        config.put("model_max_length", 32768);
        config.put("pad_token", ENDOFTEXT);
        config.put("split_special_tokens", false);
        config.put("tokenizer_class", "Qwen2Tokenizer");
        config.putNull("unk_token");
        Files.writeString(folder.resolve("tokenizer_config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        return vocab.size() + specials.length;
    }

    private static void byteLevel(ObjectNode n) {
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", false);
        n.put("trim_offsets", false);
        n.put("use_regex", false);
    }

    /** Classic BPE training: repeatedly merge the most frequent adjacent pair (ties broken by text order). */
    static List<String[]> learnMerges(int count) {
        Map<String, Integer> wordCounts = new LinkedHashMap<>();
        Matcher m = Pattern.compile(QWEN2_SPLIT, Pattern.UNICODE_CHARACTER_CLASS).matcher(CORPUS);
        while (m.find()) {
            wordCounts.merge(ByteLevel.encode(m.group()), 1, Integer::sum);
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> freqs = new ArrayList<>();
        wordCounts.forEach((w, c) -> {
            List<String> symbols = new ArrayList<>();
            w.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
            words.add(symbols);
            freqs.add(c);
        });
        List<String[]> merges = new ArrayList<>();
        for (int step = 0; step < count; step++) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairs.merge(s.get(i) + "\u0000" + s.get(i + 1), freqs.get(w), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 1;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) {
                break;
            }
            String[] pair = best.split("\u0000", -1);
            merges.add(pair);
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(pair[0]) && s.get(i + 1).equals(pair[1])) {
                        s.set(i, pair[0] + pair[1]);
                        s.remove(i + 1);
                    }
                }
            }
        }
        return merges;
    }
}
