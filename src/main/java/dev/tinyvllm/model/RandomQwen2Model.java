package dev.tinyvllm.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Writes a complete Hugging Face Qwen2 model folder with random weights: {@code config.json}, weights in
 * one or several safetensors files (with {@code model.safetensors.index.json} when sharded),
 * {@code generation_config.json}, and a small real tokenizer with Qwen2's chat template. Nothing can be
 * downloaded here, so tests and benchmarks run on models this class writes; a weight is a pure function
 * of (seed, tensor name, index), so the same call always writes the same bytes.
 */
public final class RandomQwen2Model {

    /** Merges learned for the small tokenizer. */
    public static final int TOKENIZER_MERGES = 160;

    private RandomQwen2Model() {}

    /** Architectures the writer knows by name. */
    public static Qwen2Config preset(String name) {
        return switch (name) {
            // Qwen2-0.5B's shapes exactly (Qwen2.5-0.5B has the same), with its tied head.
            case "qwen2-0.5b" -> new Qwen2Config(896, 4864, 24, 14, 2, 1e-6, 1_000_000.0, 151_936, 32_768, true,
                    "bfloat16", -1, -1);
            // A small model that still has every feature: GQA, biases, several layers.
            case "tiny" -> tiny(64, 4, 2, 2, true);
            default -> throw new IllegalArgumentException("unknown random model \"" + name + "\" (known: qwen2-0.5b, tiny)");
        };
    }

    /** A small configuration; the vocabulary is set by {@link #write} to the tokenizer's size. */
    public static Qwen2Config tiny(int hidden, int heads, int kvHeads, int layers, boolean tied) {
        return new Qwen2Config(hidden, hidden * 2 + 8, layers, heads, kvHeads, 1e-6, 10_000.0, 1, 2048, tied,
                "float32", -1, -1);
    }

    /**
     * Writes a model folder. When {@code config.vocabSize()} is smaller than the tokenizer's vocabulary it is
     * raised to it (Qwen2 pads the embedding beyond the tokenizer too). Returns the config written.
     */
    public static Qwen2Config write(Path folder, Qwen2Config config, DType dtype, long seed, int shards) throws IOException {
        Files.createDirectories(folder);
        int tokenizerSize = TokenizerFiles.write(folder, TOKENIZER_MERGES);
        int endOfText = tokenizerSize - 3;
        int imEnd = tokenizerSize - 1;
        Qwen2Config c = new Qwen2Config(config.hiddenSize(), config.intermediateSize(), config.numHiddenLayers(),
                config.numAttentionHeads(), config.numKeyValueHeads(), config.rmsNormEps(), config.ropeTheta(),
                Math.max(config.vocabSize(), tokenizerSize), config.maxPositionEmbeddings(),
                config.tieWordEmbeddings(), dtype.torchName(), endOfText, imEnd);
        Files.writeString(folder.resolve("config.json"), c.toJson());
        ObjectMapper json = new ObjectMapper();
        ObjectNode gen = json.createObjectNode();
        gen.put("bos_token_id", endOfText);
        gen.putArray("eos_token_id").add(imEnd).add(endOfText);
        gen.put("do_sample", false);
        Files.writeString(folder.resolve("generation_config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(gen));

        List<SafetensorsWriter.Entry> all = entries(c, dtype, seed);
        int n = Math.max(1, Math.min(shards, all.size()));
        if (n == 1) {
            SafetensorsWriter.write(folder.resolve(Checkpoint.SINGLE), all, Map.of("format", "pt"));
            return c;
        }
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata").put("total_size", totalBytes(all));
        ObjectNode weightMap = index.putObject("weight_map");
        int per = (all.size() + n - 1) / n;
        for (int s = 0; s < n; s++) {
            String name = String.format("model-%05d-of-%05d.safetensors", s + 1, n);
            List<SafetensorsWriter.Entry> part = all.subList(Math.min(all.size(), s * per), Math.min(all.size(), (s + 1) * per));
            SafetensorsWriter.write(folder.resolve(name), part, Map.of("format", "pt"));
            part.forEach(e -> weightMap.put(e.name(), name));
        }
        Files.writeString(folder.resolve(Checkpoint.INDEX), json.writerWithDefaultPrettyPrinter().writeValueAsString(index));
        return c;
    }

    private static long totalBytes(List<SafetensorsWriter.Entry> entries) {
        long t = 0;
        for (SafetensorsWriter.Entry e : entries) {
            long n = e.dtype().bytes();
            for (long d : e.shape()) {
                n *= d;
            }
            t += n;
        }
        return t;
    }

    /** The tensors of a Qwen2 checkpoint, with Hugging Face's names and shapes. */
    static List<SafetensorsWriter.Entry> entries(Qwen2Config c, DType dtype, long seed) {
        int h = c.hiddenSize();
        int kv = c.kvDim();
        int inter = c.intermediateSize();
        List<SafetensorsWriter.Entry> out = new ArrayList<>();
        out.add(random("model.embed_tokens.weight", dtype, seed, 0.5, 0, c.vocabSize(), h));
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            double attn = 1.0 / Math.sqrt(h);
            out.add(random(p + "input_layernorm.weight", dtype, seed, 0.1, 1, h));
            out.add(random(p + "self_attn.q_proj.weight", dtype, seed, attn, 0, h, h));
            out.add(random(p + "self_attn.q_proj.bias", dtype, seed, 0.1, 0, h));
            out.add(random(p + "self_attn.k_proj.weight", dtype, seed, attn, 0, kv, h));
            out.add(random(p + "self_attn.k_proj.bias", dtype, seed, 0.1, 0, kv));
            out.add(random(p + "self_attn.v_proj.weight", dtype, seed, attn, 0, kv, h));
            out.add(random(p + "self_attn.v_proj.bias", dtype, seed, 0.1, 0, kv));
            out.add(random(p + "self_attn.o_proj.weight", dtype, seed, attn, 0, h, h));
            out.add(random(p + "post_attention_layernorm.weight", dtype, seed, 0.1, 1, h));
            out.add(random(p + "mlp.gate_proj.weight", dtype, seed, attn, 0, inter, h));
            out.add(random(p + "mlp.up_proj.weight", dtype, seed, attn, 0, inter, h));
            out.add(random(p + "mlp.down_proj.weight", dtype, seed, 1.0 / Math.sqrt(inter), 0, h, inter));
        }
        out.add(random("model.norm.weight", dtype, seed, 0.1, 1, h));
        if (!c.tieWordEmbeddings()) {
            out.add(random("lm_head.weight", dtype, seed, 1.0 / Math.sqrt(h), 0, c.vocabSize(), h));
        }
        return out;
    }

    /** Uniform values with standard deviation {@code std} around {@code mean}, a pure function of name and index. */
    static SafetensorsWriter.Entry random(String name, DType dtype, long seed, double std, double mean, long... shape) {
        long base = mix(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
        float half = (float) (std * Math.sqrt(3.0));
        float m = (float) mean;
        return new SafetensorsWriter.Entry(name, dtype, shape, (start, chunk) ->
                IntStream.range(0, (chunk.length + 4095) / 4096).parallel().forEach(block -> {
                    int end = Math.min(chunk.length, (block + 1) * 4096);
                    for (int i = block * 4096; i < end; i++) {
                        double u = (mix(base + (start + i) * 0x9E3779B97F4A7C15L) >>> 40) * 0x1p-24;
                        chunk[i] = m + half * (float) (2 * u - 1);
                    }
                }));
    }

    /** SplitMix64's finaliser: a good 64-bit mix in a few instructions. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
