package dev.tinyvllm.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The architecture of a Qwen2 model, as Hugging Face writes it in {@code config.json}.
 *
 * @param hiddenSize width of the residual stream
 * @param intermediateSize width of the SwiGLU MLP
 * @param numHiddenLayers decoder layers
 * @param numAttentionHeads query heads
 * @param numKeyValueHeads key/value heads (grouped-query attention when fewer than query heads)
 * @param rmsNormEps epsilon inside every RMSNorm
 * @param ropeTheta base of the rotary frequencies
 * @param vocabSize rows of the embedding and of the output head (may exceed the tokenizer's size)
 * @param maxPositionEmbeddings longest context the model was trained for
 * @param tieWordEmbeddings whether the output head reuses the embedding matrix
 * @param torchDtype the dtype the checkpoint was saved in ("float32", "bfloat16", "float16")
 * @param bosTokenId beginning-of-sequence id, or -1 when the config has none
 * @param eosTokenId end-of-sequence id, or -1 when the config has none
 */
public record Qwen2Config(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        double rmsNormEps,
        double ropeTheta,
        int vocabSize,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        String torchDtype,
        int bosTokenId,
        int eosTokenId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Qwen2Config {
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("num_key_value_heads", numKeyValueHeads);
        positive("vocab_size", vocabSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (!(rmsNormEps > 0) || !Double.isFinite(rmsNormEps)) {
            throw new ModelFormatException("config.json: rms_norm_eps must be a positive number, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0) || !Double.isFinite(ropeTheta)) {
            throw new ModelFormatException("config.json: rope_theta must be a positive number, got " + ropeTheta);
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new ModelFormatException("config.json: hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numAttentionHeads);
        }
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new ModelFormatException("config.json: num_attention_heads " + numAttentionHeads
                    + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
        }
        if ((hiddenSize / numAttentionHeads) % 2 != 0) {
            throw new ModelFormatException("config.json: the head size " + hiddenSize / numAttentionHeads
                    + " must be even for rotary embeddings");
        }
        if (torchDtype == null) {
            torchDtype = "float32";
        }
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Width of all key (or value) heads together. */
    public int kvDim() {
        return numKeyValueHeads * headDim();
    }

    /** Query heads that share one key/value head. */
    public int queriesPerKv() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Reads {@code config.json} from a model folder (or the file itself). */
    public static Qwen2Config read(Path folderOrFile) {
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve("config.json") : folderOrFile;
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": no config.json; a Hugging Face model folder needs one");
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read it: " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage().replaceFirst("^config\\.json: ", ""), e);
        }
    }

    /** Parses the text of a {@code config.json}. */
    public static Qwen2Config parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("config.json: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException("config.json: expected a JSON object");
        }
        String type = root.path("model_type").asText("");
        if (!type.isEmpty() && !type.equals("qwen2")) {
            throw new ModelFormatException("config.json: model_type is \"" + type + "\"; only qwen2 models are supported");
        }
        if (root.path("use_sliding_window").asBoolean(false)) {
            throw new ModelFormatException("config.json: use_sliding_window is true; sliding-window attention is not supported");
        }
        JsonNode scaling = root.get("rope_scaling");
        if (scaling != null && !scaling.isNull()) {
            throw new ModelFormatException("config.json: rope_scaling " + scaling + " is not supported (only plain RoPE)");
        }
        int heads = requiredInt(root, "num_attention_heads");
        return new Qwen2Config(
                requiredInt(root, "hidden_size"),
                requiredInt(root, "intermediate_size"),
                requiredInt(root, "num_hidden_layers"),
                heads,
                root.has("num_key_value_heads") ? requiredInt(root, "num_key_value_heads") : heads,
                requiredDouble(root, "rms_norm_eps"),
                root.has("rope_theta") ? requiredDouble(root, "rope_theta") : 10000.0,
                requiredInt(root, "vocab_size"),
                requiredInt(root, "max_position_embeddings"),
                root.path("tie_word_embeddings").asBoolean(false),
                root.path("torch_dtype").asText(root.path("dtype").asText("float32")),
                optionalId(root, "bos_token_id"),
                optionalId(root, "eos_token_id"));
    }

    /** The {@code config.json} text Hugging Face would write for this configuration. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("Qwen2ForCausalLM");
        o.put("model_type", "qwen2");
        o.put("hidden_act", "silu");
        o.put("hidden_size", hiddenSize);
        o.put("intermediate_size", intermediateSize);
        o.put("num_hidden_layers", numHiddenLayers);
        o.put("num_attention_heads", numAttentionHeads);
        o.put("num_key_value_heads", numKeyValueHeads);
        o.put("rms_norm_eps", rmsNormEps);
        o.put("rope_theta", ropeTheta);
        o.putNull("rope_scaling");
        o.put("vocab_size", vocabSize);
        o.put("max_position_embeddings", maxPositionEmbeddings);
        o.put("max_window_layers", numHiddenLayers);
        o.put("use_sliding_window", false);
        o.put("sliding_window", maxPositionEmbeddings);
        o.put("tie_word_embeddings", tieWordEmbeddings);
        o.put("torch_dtype", torchDtype);
        o.put("attention_dropout", 0.0);
        o.put("initializer_range", 0.02);
        o.put("use_cache", true);
        if (bosTokenId >= 0) {
            o.put("bos_token_id", bosTokenId);
        }
        if (eosTokenId >= 0) {
            o.put("eos_token_id", eosTokenId);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new ModelFormatException("config.json: " + name + " must be a positive integer, got " + value);
        }
    }

    private static int requiredInt(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            throw new ModelFormatException("config.json: missing the field \"" + name + "\"");
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new ModelFormatException("config.json: \"" + name + "\" must be an integer, got " + n);
        }
        return n.intValue();
    }

    private static double requiredDouble(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            throw new ModelFormatException("config.json: missing the field \"" + name + "\"");
        }
        if (!n.isNumber()) {
            throw new ModelFormatException("config.json: \"" + name + "\" must be a number, got " + n);
        }
        return n.doubleValue();
    }

    /** Token ids may be an integer or (in newer configs) a list; the first entry is taken. */
    private static int optionalId(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n != null && n.isArray() && n.size() > 0) {
            n = n.get(0);
        }
        return n != null && n.isIntegralNumber() ? n.intValue() : -1;
    }
}
