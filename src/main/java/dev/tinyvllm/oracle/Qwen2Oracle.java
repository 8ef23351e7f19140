package dev.tinyvllm.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.Qwen2Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Qwen2 forward pass on libtorch (through DJL), written from the model's definition and sharing no
 * code with the engine: token embedding, RMSNorm, q/k/v projections with bias, rotary embedding in the
 * "rotate half" form with {@code rope_theta}, grouped-query attention under a causal mask, the SwiGLU MLP,
 * and a tied or separate output head, all in float32. It is the engine's correctness oracle and the
 * libtorch baseline of {@code tutor engine bench} (with a growing key/value cache per {@link Session}).
 */
public final class Qwen2Oracle implements AutoCloseable {

    private record Layer(NDArray inputNorm, NDArray wq, NDArray bq, NDArray wk, NDArray bk, NDArray wv, NDArray bv,
            NDArray wo, NDArray postNorm, NDArray gate, NDArray up, NDArray down) {}

    private final Qwen2Config config;
    private final NDManager manager;
    private final NDArray embedding;
    private final NDArray head;
    private final NDArray finalNorm;
    private final NDArray invFreq;
    private final List<Layer> layers = new ArrayList<>();

    private Qwen2Oracle(Qwen2Config config, Checkpoint ckpt) {
        this.config = config;
        this.manager = NDManager.newBaseManager();
        try {
            int h = config.hiddenSize();
            embedding = tensor(ckpt, "model.embed_tokens.weight", config.vocabSize(), h);
            head = config.tieWordEmbeddings() ? embedding : tensor(ckpt, "lm_head.weight", config.vocabSize(), h);
            finalNorm = tensor(ckpt, "model.norm.weight", h);
            for (int l = 0; l < config.numHiddenLayers(); l++) {
                String p = "model.layers." + l + ".";
                int kv = config.kvDim();
                int inter = config.intermediateSize();
                layers.add(new Layer(tensor(ckpt, p + "input_layernorm.weight", h),
                        tensor(ckpt, p + "self_attn.q_proj.weight", h, h), tensor(ckpt, p + "self_attn.q_proj.bias", h),
                        tensor(ckpt, p + "self_attn.k_proj.weight", kv, h), tensor(ckpt, p + "self_attn.k_proj.bias", kv),
                        tensor(ckpt, p + "self_attn.v_proj.weight", kv, h), tensor(ckpt, p + "self_attn.v_proj.bias", kv),
                        tensor(ckpt, p + "self_attn.o_proj.weight", h, h),
                        tensor(ckpt, p + "post_attention_layernorm.weight", h),
                        tensor(ckpt, p + "mlp.gate_proj.weight", inter, h), tensor(ckpt, p + "mlp.up_proj.weight", inter, h),
                        tensor(ckpt, p + "mlp.down_proj.weight", h, inter)));
            }
            // Transformers: inv_freq = 1 / theta ** (arange(0, d, 2).float() / d), in float32.
            int d = config.headDim();
            NDArray exponents = manager.arange(0, d, 2, DataType.INT64).toType(DataType.FLOAT32, false).div(d);
            invFreq = manager.create((float) config.ropeTheta()).pow(exponents).pow(-1);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads a model folder's weights into libtorch as float32. */
    public static Qwen2Oracle load(Path folder) {
        Qwen2Config c = Qwen2Config.read(folder);
        try (Checkpoint ckpt = Checkpoint.open(folder)) {
            return new Qwen2Oracle(c, ckpt);
        }
    }

    private NDArray tensor(Checkpoint ckpt, String name, long... shape) {
        ckpt.info(name, shape);
        return manager.create(ckpt.readFloats(name), new Shape(shape));
    }

    public Qwen2Config config() {
        return config;
    }

    /** Logits of every position of a sequence, computed from scratch: {@code [tokens][vocab]}. */
    public float[][] logits(int[] tokens) {
        try (Session s = newSession()) {
            return s.forward(tokens, true);
        }
    }

    /** A sequence with a key/value cache: each call runs only the new tokens. */
    public Session newSession() {
        return new Session();
    }

    /** One sequence's key/value cache on libtorch. */
    public final class Session implements AutoCloseable {
        private final NDManager cache = manager.newSubManager();
        private final NDArray[] keys = new NDArray[config.numHiddenLayers()];
        private final NDArray[] values = new NDArray[config.numHiddenLayers()];
        private int length;

        /** Runs {@code tokens} after those already cached; logits of every new position, or only the last. */
        public float[][] forward(int[] tokens, boolean allPositions) {
            int n = tokens.length;
            int h = config.hiddenSize();
            int heads = config.numAttentionHeads();
            int kvHeads = config.numKeyValueHeads();
            int d = config.headDim();
            float eps = (float) config.rmsNormEps();
            try (NDManager step = cache.newSubManager()) {
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = tokens[i];
                }
                NDArray x = embedding.get(step.create(ids));
                NDArray positions = step.arange(length, length + n, 1, DataType.INT64).toType(DataType.FLOAT32, false);
                NDArray freqs = positions.reshape(n, 1).matMul(invFreq.reshape(1, d / 2));
                NDArray angles = freqs.concat(freqs, -1);
                NDArray cos = angles.cos();
                NDArray sin = angles.sin();
                int total = length + n;
                // Query i (at position length + i) may see key j when j <= length + i.
                NDArray row = step.arange(length, total, 1, DataType.INT64).reshape(n, 1);
                NDArray col = step.arange(0, total, 1, DataType.INT64).reshape(1, total);
                NDArray allowed = col.lte(row).broadcast(new Shape(heads, n, total));
                for (int l = 0; l < layers.size(); l++) {
                    Layer layer = layers.get(l);
                    NDArray hn = rmsNorm(x, layer.inputNorm(), eps);
                    NDArray q = heads(Linear.linear(hn, layer.wq(), layer.bq()).singletonOrThrow(), heads, d);
                    NDArray k = heads(Linear.linear(hn, layer.wk(), layer.bk()).singletonOrThrow(), kvHeads, d);
                    NDArray v = heads(Linear.linear(hn, layer.wv(), layer.bv()).singletonOrThrow(), kvHeads, d);
                    q = rope(q, cos, sin, d);
                    k = rope(k, cos, sin, d);
                    if (keys[l] != null) {
                        k = keys[l].concat(k, 1);
                        v = values[l].concat(v, 1);
                    }
                    replace(l, k, v);
                    NDArray kAll = shareKv(k, heads, kvHeads, total, d);
                    NDArray vAll = shareKv(v, heads, kvHeads, total, d);
                    NDArray scores = q.matMul(kAll.transpose(0, 2, 1)).mul(1.0 / Math.sqrt(d));
                    NDArray minusInf = step.full(scores.getShape(), Float.NEGATIVE_INFINITY, DataType.FLOAT32);
                    NDArray probs = NDArrays.where(allowed, scores, minusInf).softmax(-1);
                    NDArray context = probs.matMul(vAll).transpose(1, 0, 2).reshape(n, h);
                    x = x.add(Linear.linear(context, layer.wo()).singletonOrThrow());
                    NDArray hn2 = rmsNorm(x, layer.postNorm(), eps);
                    NDArray gate = Linear.linear(hn2, layer.gate()).singletonOrThrow();
                    NDArray up = Linear.linear(hn2, layer.up()).singletonOrThrow();
                    NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);
                    x = x.add(Linear.linear(act, layer.down()).singletonOrThrow());
                }
                length = total;
                NDArray last = allPositions ? x : x.get(n - 1).reshape(1, h);
                NDArray logits = Linear.linear(rmsNorm(last, finalNorm, eps), head).singletonOrThrow();
                int rows = (int) logits.getShape().get(0);
                float[] flat = logits.toFloatArray();
                int vocab = config.vocabSize();
                float[][] out = new float[rows][];
                for (int i = 0; i < rows; i++) {
                    out[i] = java.util.Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
                }
                return out;
            }
        }

        public int length() {
            return length;
        }

        private void replace(int layer, NDArray k, NDArray v) {
            k.attach(cache);
            v.attach(cache);
            if (keys[layer] != null && keys[layer] != k) {
                keys[layer].close();
                values[layer].close();
            }
            keys[layer] = k;
            values[layer] = v;
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** {@code [n, heads*d]} → {@code [heads, n, d]}. */
    private static NDArray heads(NDArray x, int heads, int d) {
        long n = x.getShape().get(0);
        return x.reshape(n, heads, d).transpose(1, 0, 2);
    }

    /** Each key/value head serves {@code heads / kvHeads} consecutive query heads. */
    private static NDArray shareKv(NDArray kv, int heads, int kvHeads, int len, int d) {
        int group = heads / kvHeads;
        if (group == 1) {
            return kv;
        }
        return kv.reshape(kvHeads, 1, len, d).broadcast(new Shape(kvHeads, group, len, d)).reshape(heads, len, d);
    }

    /** x·cos + rotate_half(x)·sin, where rotate_half(x) = [-x2, x1] for the two halves of each head. */
    private static NDArray rope(NDArray x, NDArray cos, NDArray sin, int d) {
        NDArray x1 = x.get(":, :, :" + d / 2);
        NDArray x2 = x.get(":, :, " + d / 2 + ":");
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    private static NDArray rmsNorm(NDArray x, NDArray weight, float eps) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.mul(variance.add(eps).pow(-0.5)).mul(weight);
    }

    @Override
    public void close() {
        manager.close();
    }
}
