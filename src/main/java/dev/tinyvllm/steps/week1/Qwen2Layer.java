package dev.tinyvllm.steps.week1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.oracle.LayerKernels;
import dev.tinyvllm.steps.week1.gqa.GqaOracle;
import dev.tinyvllm.steps.week1.qwen2block.BlockOracle;
import java.util.Random;

/**
 * The weights of one Qwen2 decoder layer, kept as Java arrays so that every call builds fresh NDArrays
 * from the same numbers, and the two ways to build a layer from them: the student's classes (through
 * {@link LayerViews}, with the constructors the model step calls) and the oracles' weight records.
 */
public final class Qwen2Layer {

    /** The longest sequence the student's layers are built for; every check stays below it. */
    public static final int MAX_SEQ_LEN = 32;

    /** The sizes of a layer. */
    public record Config(int hidden, int heads, int kvHeads, int intermediate, double theta, float eps) {
        public int headDim() {
            return hidden / heads;
        }

        /** Fewer key/value heads than query heads, and more than one: where the grouping can go wrong. */
        public boolean grouped() {
            return kvHeads > 1 && kvHeads < heads;
        }
    }

    private final Config config;
    private final float[] wq;
    private final float[] bq;
    private final float[] wk;
    private final float[] bk;
    private final float[] wv;
    private final float[] bv;
    private final float[] wo;
    private final float[] inputNorm;
    private final float[] postNorm;
    private final float[] gate;
    private final float[] up;
    private final float[] down;

    private Qwen2Layer(Config c, float[][] w) {
        this.config = c;
        wq = w[0];
        bq = w[1];
        wk = w[2];
        bk = w[3];
        wv = w[4];
        bv = w[5];
        wo = w[6];
        inputNorm = w[7];
        postNorm = w[8];
        gate = w[9];
        up = w[10];
        down = w[11];
    }

    /**
     * Random weights of the given sizes. Projections scaled by 1/sqrt(fan-in) keep activations near unit
     * size, as in a trained model; the biases are large enough that leaving one out shows.
     */
    public static Qwen2Layer random(Config c, Random random) {
        int qWidth = c.heads() * c.headDim();
        int kvWidth = c.kvHeads() * c.headDim();
        float[][] w = new float[12][];
        w[0] = Grading.gaussian(random, qWidth * c.hidden(), 1 / Math.sqrt(c.hidden()));
        w[1] = Grading.gaussian(random, qWidth, 0.5);
        w[2] = Grading.gaussian(random, kvWidth * c.hidden(), 1 / Math.sqrt(c.hidden()));
        w[3] = Grading.gaussian(random, kvWidth, 0.5);
        w[4] = Grading.gaussian(random, kvWidth * c.hidden(), 1 / Math.sqrt(c.hidden()));
        w[5] = Grading.gaussian(random, kvWidth, 0.5);
        w[6] = Grading.gaussian(random, c.hidden() * qWidth, 1 / Math.sqrt(qWidth));
        w[7] = normWeight(random, c.hidden());
        w[8] = normWeight(random, c.hidden());
        w[9] = Grading.gaussian(random, c.intermediate() * c.hidden(), 1 / Math.sqrt(c.hidden()));
        w[10] = Grading.gaussian(random, c.intermediate() * c.hidden(), 1 / Math.sqrt(c.hidden()));
        w[11] = Grading.gaussian(random, c.hidden() * c.intermediate(), 1 / Math.sqrt(c.intermediate()));
        return new Qwen2Layer(c, w);
    }

    /** Layer {@code index} of a checkpoint, read with the checkpoint's own reader (not the student's loader). */
    public static Qwen2Layer fromCheckpoint(Checkpoint checkpoint, Qwen2Config c, int index) {
        String p = "model.layers." + index + ".";
        String[] names = {"self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.weight",
            "self_attn.k_proj.bias", "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.o_proj.weight",
            "input_layernorm.weight", "post_attention_layernorm.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight",
            "mlp.down_proj.weight"};
        float[][] w = new float[names.length][];
        for (int i = 0; i < names.length; i++) {
            w[i] = checkpoint.readFloats(p + names[i]);
        }
        return new Qwen2Layer(new Config(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(),
                c.intermediateSize(), c.ropeTheta(), (float) c.rmsNormEps()), w);
    }

    private static float[] normWeight(Random random, int n) {
        float[] w = Grading.gaussian(random, n, 0.2);
        for (int i = 0; i < n; i++) {
            w[i] += 1;
        }
        return w;
    }

    /**
     * Compiles the TorchScript module of libtorch's layer kernels, which every week-1 layer oracle calls,
     * so that its first use does not fall within a check's time.
     */
    public static void warmUpKernels(NDManager manager) {
        LayerKernels.silu(manager.ones(new Shape(1, 2)));
    }

    public Config config() {
        return config;
    }

    /**
     * The same layer with an identity output projection, so that each head's output is its own slice of
     * the result: what the probe of independent heads needs to read one head at a time.
     */
    public Qwen2Layer withIdentityOutput() {
        float[] identity = new float[wo.length];
        for (int i = 0; i < config.hidden(); i++) {
            identity[i * config.hidden() + i] = 1f;
        }
        return with(6, identity);
    }

    /** The same layer with fresh query weights and biases for one head, the rest untouched. */
    public Qwen2Layer withQueryHeadRedrawn(int head, Random random) {
        int dim = config.headDim();
        float[] q = wq.clone();
        for (int i = head * dim * config.hidden(); i < (head + 1) * dim * config.hidden(); i++) {
            q[i] = (float) random.nextGaussian();
        }
        float[] b = bq.clone();
        for (int i = head * dim; i < (head + 1) * dim; i++) {
            b[i] = (float) random.nextGaussian();
        }
        return with(0, q).with(1, b);
    }

    private Qwen2Layer with(int index, float[] replacement) {
        float[][] w = {wq, bq, wk, bk, wv, bv, wo, inputNorm, postNorm, gate, up, down};
        w[index] = replacement;
        return new Qwen2Layer(config, w);
    }

    // ---------------------------------------------------------------- as arrays

    private NDArray[] attentionArrays(NDManager m) {
        int qWidth = config.heads() * config.headDim();
        int kvWidth = config.kvHeads() * config.headDim();
        return new NDArray[] {
            m.create(wq, new Shape(qWidth, config.hidden())), m.create(bq, new Shape(qWidth)),
            m.create(wk, new Shape(kvWidth, config.hidden())), m.create(bk, new Shape(kvWidth)),
            m.create(wv, new Shape(kvWidth, config.hidden())), m.create(bv, new Shape(kvWidth)),
            m.create(wo, new Shape(config.hidden(), qWidth))};
    }

    private NDArray[] mlpArrays(NDManager m) {
        return new NDArray[] {
            m.create(gate, new Shape(config.intermediate(), config.hidden())),
            m.create(up, new Shape(config.intermediate(), config.hidden())),
            m.create(down, new Shape(config.hidden(), config.intermediate()))};
    }

    public GqaOracle.AttentionWeights oracleAttention(NDManager m) {
        NDArray[] a = attentionArrays(m);
        return new GqaOracle.AttentionWeights(config.heads(), config.kvHeads(), a[0], a[1], a[2], a[3], a[4], a[5],
                a[6], config.theta());
    }

    public BlockOracle.BlockWeights oracleBlock(NDManager m) {
        NDArray[] mlp = mlpArrays(m);
        return new BlockOracle.BlockWeights(m.create(inputNorm), m.create(postNorm), config.eps(), oracleAttention(m),
                mlp[0], mlp[1], mlp[2]);
    }

    // ---------------------------------------------------------------- as the student's classes

    /** The student's Qwen2Attention holding these weights, made in the student JVM. */
    public LayerViews.Attention studentAttention(CheckContext ctx) {
        NDArray[] a = attentionArrays(ctx.manager());
        return ctx.student(LayerViews.Attention.class).create(config.hidden(), config.heads(), config.kvHeads(),
                a[0], a[1], a[2], a[3], a[4], a[5], a[6], MAX_SEQ_LEN, config.theta());
    }

    /** The student's RMSNorm with the input norm's weight, or the post-attention norm's. */
    public LayerViews.Norm studentNorm(CheckContext ctx, boolean postAttention) {
        return ctx.student(LayerViews.Norm.class).create(ctx.manager().create(postAttention ? postNorm : inputNorm),
                config.eps());
    }

    public LayerViews.Mlp studentMlp(CheckContext ctx) {
        NDArray[] a = mlpArrays(ctx.manager());
        return ctx.student(LayerViews.Mlp.class).create(a[0], a[1], a[2]);
    }

    /** The student's four parts of a block, in the order data flows through it. */
    public Parts studentParts(CheckContext ctx) {
        return new Parts(studentNorm(ctx, false), studentAttention(ctx), studentNorm(ctx, true), studentMlp(ctx));
    }

    /** The student's Qwen2Block made of the student's parts holding these weights. */
    public LayerViews.Block studentBlock(CheckContext ctx) {
        return studentParts(ctx).block(ctx);
    }

    /** The student's layers of one block, as its constructor takes them. */
    public record Parts(LayerViews.Norm inputNorm, LayerViews.Attention attention, LayerViews.Norm postAttentionNorm,
            LayerViews.Mlp mlp) {

        public LayerViews.Block block(CheckContext ctx) {
            return ctx.student(LayerViews.Block.class).create(inputNorm, attention, postAttentionNorm, mlp);
        }
    }
}
