package dev.tinyvllm.engine;

import dev.tinyvllm.engine.kernels.Kernels;
import dev.tinyvllm.model.Qwen2Config;
import java.util.List;

/**
 * The Qwen2 forward pass over one scheduled batch: all tokens of all segments go through the matmuls
 * together (prefill chunks and decode tokens alike), and attention reads each sequence's keys and values
 * from the paged {@link KvCache} through its block table. Logits are computed only where a segment asks
 * for them (the last token of a finished prefill, and every decode token).
 */
public final class ModelRunner {

    /**
     * Tokens of one sequence to run: {@code tokens[i]} sits at position {@code start + i}, and the block
     * table covers every position up to {@code start + tokens.length - 1}.
     */
    public record Segment(int[] tokens, int start, int[] blockTable, boolean wantLogits) {}

    private final Qwen2Weights weights;
    private final Qwen2Config config;
    private final Kernels kernels;
    private final KvCache cache;
    private final Rope rope;
    private final ThreadLocal<float[]> scores = ThreadLocal.withInitial(() -> new float[256]);

    public ModelRunner(Qwen2Weights weights, Kernels kernels, KvCache cache) {
        this.weights = weights;
        this.config = weights.config();
        this.kernels = kernels;
        this.cache = cache;
        this.rope = new Rope(config.headDim(), config.ropeTheta());
    }

    public Qwen2Weights weights() {
        return weights;
    }

    public KvCache cache() {
        return cache;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** Runs a batch; returns one logits array per segment ({@code null} where none was asked for). */
    public float[][] forward(List<Segment> segments) {
        int h = config.hiddenSize();
        int kvDim = config.kvDim();
        int qkvDim = h + 2 * kvDim;
        int inter = config.intermediateSize();
        int vocab = config.vocabSize();
        int bs = cache.blockSize();

        int total = 0;
        for (Segment s : segments) {
            total += s.tokens().length;
        }
        int[] position = new int[total];
        int[] slot = new int[total];
        int[] segmentOf = new int[total];
        float[] x = new float[total * h];
        int t = 0;
        for (int si = 0; si < segments.size(); si++) {
            Segment s = segments.get(si);
            for (int i = 0; i < s.tokens().length; i++, t++) {
                int token = s.tokens()[i];
                if (token < 0 || token >= vocab) {
                    throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + vocab);
                }
                int p = s.start() + i;
                position[t] = p;
                slot[t] = s.blockTable()[p / bs] * bs + p % bs;
                segmentOf[t] = si;
                weights.embedding().row(token, x, t * h);
            }
        }
        final int tokens = total;
        float[] xn = new float[tokens * h];
        float[] qkv = new float[tokens * qkvDim];
        float[] attn = new float[tokens * h];
        float[] proj = new float[tokens * h];
        float[] gateUp = new float[tokens * 2 * inter];
        float[] act = new float[tokens * inter];
        float eps = (float) config.rmsNormEps();

        for (int l = 0; l < weights.layers().size(); l++) {
            Qwen2Weights.Layer layer = weights.layers().get(l);
            rmsNorm(x, layer.inputNorm(), xn, tokens, h, eps);
            kernels.matmul(layer.qkv(), xn, tokens, qkv);
            float[] keys = cache.keys(l);
            float[] values = cache.values(l);
            for (int i = 0; i < tokens; i++) {
                int o = i * qkvDim;
                float[] bias = layer.qkvBias();
                for (int j = 0; j < qkvDim; j++) {
                    qkv[o + j] += bias[j];
                }
                rope.apply(qkv, o, config.numAttentionHeads(), position[i]);
                rope.apply(qkv, o + h, config.numKeyValueHeads(), position[i]);
                System.arraycopy(qkv, o + h, keys, slot[i] * kvDim, kvDim);
                System.arraycopy(qkv, o + h + kvDim, values, slot[i] * kvDim, kvDim);
            }
            attention(segments, segmentOf, position, qkv, keys, values, attn, tokens);
            kernels.matmul(layer.o(), attn, tokens, proj);
            for (int i = 0; i < tokens * h; i++) {
                x[i] += proj[i];
            }
            rmsNorm(x, layer.postNorm(), xn, tokens, h, eps);
            kernels.matmul(layer.gateUp(), xn, tokens, gateUp);
            swiGlu(gateUp, act, tokens, inter);
            kernels.matmul(layer.down(), act, tokens, proj);
            for (int i = 0; i < tokens * h; i++) {
                x[i] += proj[i];
            }
        }

        // Logits only for the tokens that asked for them.
        float[][] out = new float[segments.size()][];
        int wanted = 0;
        for (Segment s : segments) {
            wanted += s.wantLogits() ? 1 : 0;
        }
        if (wanted == 0) {
            return out;
        }
        float[] last = new float[wanted * h];
        int[] which = new int[wanted];
        int row = 0;
        int end = 0;
        for (int si = 0; si < segments.size(); si++) {
            end += segments.get(si).tokens().length;
            if (segments.get(si).wantLogits()) {
                System.arraycopy(x, (end - 1) * h, last, row * h, h);
                which[row++] = si;
            }
        }
        float[] normed = new float[wanted * h];
        rmsNorm(last, weights.finalNorm(), normed, wanted, h, eps);
        float[] logits = new float[wanted * vocab];
        kernels.matmul(weights.head(), normed, wanted, logits);
        for (int i = 0; i < wanted; i++) {
            out[which[i]] = java.util.Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab);
        }
        return out;
    }

    /** Causal attention of every token over its own sequence's cached keys and values, heads in parallel. */
    private void attention(List<Segment> segments, int[] segmentOf, int[] position, float[] qkv, float[] keys,
            float[] values, float[] out, int tokens) {
        int heads = config.numAttentionHeads();
        int d = config.headDim();
        int h = config.hiddenSize();
        int kvDim = config.kvDim();
        int qkvDim = h + 2 * kvDim;
        int group = config.queriesPerKv();
        int bs = cache.blockSize();
        float scale = (float) (1.0 / Math.sqrt(d));
        int items = tokens * heads;
        long work = 0;
        for (int i = 0; i < tokens; i++) {
            work += position[i] + 1;
        }
        int chunks = work * heads * d < (1 << 15) ? 1 : Math.min(items, kernels.parallel().threads() * 4);
        kernels.parallel().forEach(chunks, c -> {
            int from = (int) ((long) items * c / chunks);
            int to = (int) ((long) items * (c + 1) / chunks);
            for (int item = from; item < to; item++) {
                int t = item / heads;
                int head = item % heads;
                int[] table = segments.get(segmentOf[t]).blockTable();
                int len = position[t] + 1;
                float[] s = scores.get();
                if (s.length < len) {
                    s = new float[Math.max(len, s.length * 2)];
                    scores.set(s);
                }
                int q = t * qkvDim + head * d;
                int kvOff = (head / group) * d;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    int sl = table[j / bs] * bs + j % bs;
                    float v = kernels.dot(qkv, q, keys, sl * kvDim + kvOff, d) * scale;
                    s[j] = v;
                    max = Math.max(max, v);
                }
                float sum = 0;
                for (int j = 0; j < len; j++) {
                    float e = (float) Math.exp(s[j] - max);
                    s[j] = e;
                    sum += e;
                }
                int o = t * h + head * d;
                java.util.Arrays.fill(out, o, o + d, 0f);
                float inv = 1f / sum;
                for (int j = 0; j < len; j++) {
                    int sl = table[j / bs] * bs + j % bs;
                    kernels.axpy(s[j] * inv, values, sl * kvDim + kvOff, out, o, d);
                }
            }
        });
    }

    /** act = silu(gate) · up, split over the kernel threads when there is enough of it (exp is not cheap). */
    private void swiGlu(float[] gateUp, float[] act, int tokens, int inter) {
        long total = (long) tokens * inter;
        int chunks = total < (1 << 14) ? 1 : kernels.parallel().threads() * 2;
        kernels.parallel().forEach(chunks, c -> {
            int from = (int) (total * c / chunks);
            int to = (int) (total * (c + 1) / chunks);
            for (int k = from; k < to; k++) {
                int i = k / inter;
                int j = k - i * inter;
                float gate = gateUp[i * 2 * inter + j];
                act[k] = gate / (1f + (float) Math.exp(-gate)) * gateUp[i * 2 * inter + inter + j];
            }
        });
    }

    static void rmsNorm(float[] x, float[] w, float[] out, int tokens, int n, float eps) {
        for (int t = 0; t < tokens; t++) {
            int o = t * n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += (double) x[o + i] * x[o + i];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
            for (int i = 0; i < n; i++) {
                out[o + i] = w[i] * (x[o + i] * inv);
            }
        }
    }
}
