package dev.tinyvllm.engine;

import dev.tinyvllm.engine.kernels.Bf16Matrix;
import dev.tinyvllm.engine.kernels.F32Matrix;
import dev.tinyvllm.engine.kernels.Matrix;
import dev.tinyvllm.engine.kernels.Q8Matrix;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.Qwen2Config;
import java.util.List;

/**
 * A Qwen2 model's weights in the engine's layout: q, k and v projections stacked into one matrix (one
 * pass over the activations instead of three), gate and up stacked likewise, matrices in the chosen
 * {@link WeightFormat}, norms and biases in float32. Tensors are read one at a time from their memory
 * mapping into the arrays that keep them (bf16 through a buffer of one tensor, to pack it); q8 is
 * quantized as it is loaded, from a float copy of the matrix that is dropped right after.
 */
public final class Qwen2Weights {

    /** One decoder layer. */
    public record Layer(float[] inputNorm, Matrix qkv, float[] qkvBias, Matrix o, float[] postNorm, Matrix gateUp,
            Matrix down) {}

    private final Qwen2Config config;
    private final WeightFormat format;
    private final Matrix embedding;
    private final Matrix head;
    private final float[] finalNorm;
    private final List<Layer> layers;

    private Qwen2Weights(Qwen2Config config, WeightFormat format, Matrix embedding, Matrix head, float[] finalNorm,
            List<Layer> layers) {
        this.config = config;
        this.format = format;
        this.embedding = embedding;
        this.head = head;
        this.finalNorm = finalNorm;
        this.layers = layers;
    }

    /** Loads and checks every tensor the config implies (names and shapes). */
    public static Qwen2Weights load(Qwen2Config c, Checkpoint ckpt, WeightFormat format) {
        int h = c.hiddenSize();
        int kv = c.kvDim();
        int inter = c.intermediateSize();
        Matrix embedding = matrix(ckpt, format, c.vocabSize(), h, "model.embed_tokens.weight");
        Matrix head;
        if (c.tieWordEmbeddings()) {
            head = embedding;
        } else {
            head = matrix(ckpt, format, c.vocabSize(), h, "lm_head.weight");
        }
        List<Layer> layers = new java.util.ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            float[] bias = new float[h + 2 * kv];
            ckpt.info(p + "self_attn.q_proj.bias", h);
            ckpt.info(p + "self_attn.k_proj.bias", kv);
            ckpt.info(p + "self_attn.v_proj.bias", kv);
            ckpt.readFloats(p + "self_attn.q_proj.bias", bias, 0);
            ckpt.readFloats(p + "self_attn.k_proj.bias", bias, h);
            ckpt.readFloats(p + "self_attn.v_proj.bias", bias, h + kv);
            layers.add(new Layer(
                    vector(ckpt, p + "input_layernorm.weight", h),
                    stacked(ckpt, format, h, new String[] {p + "self_attn.q_proj.weight", p + "self_attn.k_proj.weight",
                            p + "self_attn.v_proj.weight"}, new int[] {h, kv, kv}),
                    bias,
                    matrix(ckpt, format, h, h, p + "self_attn.o_proj.weight"),
                    vector(ckpt, p + "post_attention_layernorm.weight", h),
                    stacked(ckpt, format, h, new String[] {p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight"},
                            new int[] {inter, inter}),
                    matrix(ckpt, format, h, inter, p + "mlp.down_proj.weight")));
        }
        return new Qwen2Weights(c, format, embedding, head, vector(ckpt, "model.norm.weight", h), List.copyOf(layers));
    }

    private static float[] vector(Checkpoint ckpt, String name, int n) {
        ckpt.info(name, n);
        return ckpt.readFloats(name);
    }

    private static Matrix matrix(Checkpoint ckpt, WeightFormat format, int rows, int cols, String name) {
        return stacked(ckpt, format, cols, new String[] {name}, new int[] {rows});
    }

    /** Tensors {@code [rows_i, cols]} stacked by rows into one matrix. */
    private static Matrix stacked(Checkpoint ckpt, WeightFormat format, int cols, String[] names, int[] rows) {
        int total = 0;
        for (int i = 0; i < names.length; i++) {
            ckpt.info(names[i], rows[i], cols);
            total += rows[i];
        }
        long size = (long) total * cols;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + total + "x" + cols + " matrix is too large for one Java array");
        }
        if (format == WeightFormat.BF16) {
            int[] packed = new int[total * Bf16Matrix.rowInts(cols)];
            Bf16Matrix m = null;
            int first = 0;
            for (int i = 0; i < names.length; i++) {
                short[] bits = new short[rows[i] * cols];
                ckpt.readBf16(names[i], bits, 0);
                m = Bf16Matrix.fromBits(bits, 0, rows[i], cols, packed, first);
                first += rows[i];
            }
            return m;
        }
        float[] d = new float[(int) size];
        int off = 0;
        for (int i = 0; i < names.length; i++) {
            ckpt.readFloats(names[i], d, off);
            off += rows[i] * cols;
        }
        return format == WeightFormat.F32 ? new F32Matrix(d, total, cols) : Q8Matrix.quantize(d, total, cols);
    }

    public Qwen2Config config() {
        return config;
    }

    public WeightFormat format() {
        return format;
    }

    public Matrix embedding() {
        return embedding;
    }

    public Matrix head() {
        return head;
    }

    public float[] finalNorm() {
        return finalNorm;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Bytes of weights one decode step reads: every matrix once, plus one embedding row. */
    public long bytesPerDecodedToken() {
        long total = head.bytes() + embedding.bytes() / config.vocabSize();
        for (Layer l : layers) {
            total += l.qkv().bytes() + l.o().bytes() + l.gateUp().bytes() + l.down().bytes()
                    + 4L * (l.inputNorm().length + l.postNorm().length + l.qkvBias().length);
        }
        return total + 4L * finalNorm.length;
    }
}
