package dev.tinyvllm.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.ModelFormatException;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face Qwen2 model folder, as the course's loader reads it: {@code config.json} and the
 * weights in {@code model.safetensors} (or in shards listed by {@code model.safetensors.index.json}).
 *
 * <p>{@link #open} checks the whole folder before any of your code runs: the config has every field a
 * Qwen2 model needs, and every weight the config implies is there with the right shape. A bad folder
 * fails there, with an {@link IllegalArgumentException} naming the file and what is wrong with it.
 * Weights stored as bfloat16 or float16 (as real checkpoints are) come out as float32 arrays.
 */
public final class ModelFolder implements AutoCloseable {

    private final Path path;
    private final Qwen2Config config;
    private final Checkpoint checkpoint;

    private ModelFolder(Path path, Qwen2Config config, Checkpoint checkpoint) {
        this.path = path;
        this.config = config;
        this.checkpoint = checkpoint;
    }

    /**
     * Opens a model folder and checks it.
     *
     * @throws IllegalArgumentException when the folder, its config or its weights cannot be used
     */
    public static ModelFolder open(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelFormatException(folder + ": no such model folder");
        }
        Qwen2Config config = Qwen2Config.read(folder);
        Checkpoint checkpoint = Checkpoint.open(folder);
        try {
            for (Map.Entry<String, long[]> e : requiredTensors(config).entrySet()) {
                TensorInfo t = checkpoint.info(e.getKey(), e.getValue());
                if (!t.dtype().isFloat16or32()) {
                    throw new ModelFormatException(t.file() + ": tensor \"" + t.name() + "\" is " + t.dtype()
                            + "; weights must be F32, BF16 or F16");
                }
            }
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
        return new ModelFolder(folder, config, checkpoint);
    }

    /** Every tensor a Qwen2 model of this configuration reads, with its shape, in Hugging Face's names. */
    static Map<String, long[]> requiredTensors(Qwen2Config c) {
        long h = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = c.kvDim();
        long inter = c.intermediateSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {c.vocabSize(), h});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {h});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {q, h});
            shapes.put(p + "self_attn.q_proj.bias", new long[] {q});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
            shapes.put(p + "self_attn.k_proj.bias", new long[] {kv});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
            shapes.put(p + "self_attn.v_proj.bias", new long[] {kv});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {h, q});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {h});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {inter, h});
            shapes.put(p + "mlp.up_proj.weight", new long[] {inter, h});
            shapes.put(p + "mlp.down_proj.weight", new long[] {h, inter});
        }
        shapes.put("model.norm.weight", new long[] {h});
        if (!c.tieWordEmbeddings()) {
            shapes.put("lm_head.weight", new long[] {c.vocabSize(), h});
        }
        return shapes;
    }

    /** The folder. */
    public Path path() {
        return path;
    }

    /** The model's architecture, from config.json. */
    public ModelConfig config() {
        return new ModelConfig(config.hiddenSize(), config.intermediateSize(), config.numHiddenLayers(),
                config.numAttentionHeads(), config.numKeyValueHeads(), (float) config.rmsNormEps(), config.ropeTheta(),
                config.vocabSize(), config.maxPositionEmbeddings(), config.tieWordEmbeddings());
    }

    /** Whether the weights hold a tensor of this name, for example {@code lm_head.weight}. */
    public boolean has(String name) {
        return checkpoint.has(name);
    }

    /** The names of all tensors, sorted. */
    public List<String> names() {
        return checkpoint.names().stream().sorted().toList();
    }

    /** A tensor's shape as stored, for example {@code [896, 4864]} for a down projection. */
    public long[] shape(String name) {
        return checkpoint.info(name).shape();
    }

    /**
     * A weight as a float32 array on {@code manager}, in the shape it is stored (Hugging Face's layout:
     * a projection is {@code [outFeatures, inFeatures]}). bfloat16 and float16 weights are converted.
     *
     * @throws IllegalArgumentException when there is no tensor of this name
     */
    public NDArray tensor(NDManager manager, String name) {
        TensorInfo info = checkpoint.info(name);
        return manager.create(checkpoint.readFloats(name), new Shape(info.shape()));
    }

    /** Releases the memory-mapped files; arrays already made stay valid. */
    @Override
    public void close() {
        checkpoint.close();
    }

    @Override
    public String toString() {
        return "ModelFolder[" + path + ", " + config.numHiddenLayers() + " layers]";
    }
}
