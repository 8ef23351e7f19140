package dev.tinyvllm.check.steps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.oracle.BlockOracle;
import dev.tinyvllm.oracle.GqaOracle;
import java.util.Random;

/**
 * The random weights of one Qwen2 decoder layer, kept as Java arrays so that every run builds fresh
 * NDArrays from the same numbers, and the two ways to build a layer from them: the student's classes
 * (their constructors, exactly as the model step will call them) and the oracles' weight records.
 */
final class Qwen2Layer {

    static final String ATTENTION = "week1.gqa.Qwen2Attention";
    static final String NORM = "week1.mlp.RMSNorm";
    static final String MLP = "week1.mlp.Qwen2MLP";
    static final String BLOCK = "week1.block.Qwen2Block";
    static final int MAX_SEQ_LEN = 32;

    static final Class<?>[] ATTENTION_CONSTRUCTOR = {int.class, int.class, int.class, NDArray.class, NDArray.class,
        NDArray.class, NDArray.class, NDArray.class, NDArray.class, NDArray.class, int.class, double.class};
    static final Class<?>[] NORM_CONSTRUCTOR = {NDArray.class, float.class};
    static final Class<?>[] MLP_CONSTRUCTOR = {NDArray.class, NDArray.class, NDArray.class};
    static final Class<?>[] FORWARD = {NDArray.class};

    /** The sizes of a layer. */
    record Config(int hidden, int heads, int kvHeads, int intermediate, double theta, float eps) {
        int headDim() {
            return hidden / heads;
        }
    }

    final Config config;
    final float[] wq;
    final float[] bq;
    final float[] wk;
    final float[] bk;
    final float[] wv;
    final float[] bv;
    final float[] wo;
    final float[] inputNorm;
    final float[] postNorm;
    final float[] gate;
    final float[] up;
    final float[] down;

    private Qwen2Layer(Config c, Random random) {
        this.config = c;
        int qWidth = c.heads() * c.headDim();
        int kvWidth = c.kvHeads() * c.headDim();
        // Projections scaled by 1/sqrt(fan-in) keep activations near unit size, as in a trained model;
        // the biases are large enough that leaving one out shows.
        wq = Grading.gaussian(random, qWidth * c.hidden(), 1 / Math.sqrt(c.hidden()));
        bq = Grading.gaussian(random, qWidth, 0.5);
        wk = Grading.gaussian(random, kvWidth * c.hidden(), 1 / Math.sqrt(c.hidden()));
        bk = Grading.gaussian(random, kvWidth, 0.5);
        wv = Grading.gaussian(random, kvWidth * c.hidden(), 1 / Math.sqrt(c.hidden()));
        bv = Grading.gaussian(random, kvWidth, 0.5);
        wo = Grading.gaussian(random, c.hidden() * qWidth, 1 / Math.sqrt(qWidth));
        inputNorm = normWeight(random, c.hidden());
        postNorm = normWeight(random, c.hidden());
        gate = Grading.gaussian(random, c.intermediate() * c.hidden(), 1 / Math.sqrt(c.hidden()));
        up = Grading.gaussian(random, c.intermediate() * c.hidden(), 1 / Math.sqrt(c.hidden()));
        down = Grading.gaussian(random, c.hidden() * c.intermediate(), 1 / Math.sqrt(c.intermediate()));
    }

    static Qwen2Layer random(Config config, Random random) {
        return new Qwen2Layer(config, random);
    }

    private static float[] normWeight(Random random, int n) {
        float[] w = Grading.gaussian(random, n, 0.2);
        for (int i = 0; i < n; i++) {
            w[i] += 1;
        }
        return w;
    }

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

    GqaOracle.AttentionWeights oracleAttention(NDManager m) {
        NDArray[] a = attentionArrays(m);
        return new GqaOracle.AttentionWeights(config.heads(), config.kvHeads(), a[0], a[1], a[2], a[3], a[4], a[5],
                a[6], config.theta());
    }

    BlockOracle.BlockWeights oracleBlock(NDManager m) {
        NDArray[] mlp = mlpArrays(m);
        return new BlockOracle.BlockWeights(m.create(inputNorm), m.create(postNorm), config.eps(), oracleAttention(m),
                mlp[0], mlp[1], mlp[2]);
    }

    /** The student's Qwen2Attention holding these weights. */
    Object studentAttention(StudentCode code, NDManager m) throws StudentFailure {
        NDArray[] a = attentionArrays(m);
        return code.construct(ATTENTION, ATTENTION_CONSTRUCTOR, config.hidden(), config.heads(), config.kvHeads(),
                a[0], a[1], a[2], a[3], a[4], a[5], a[6], MAX_SEQ_LEN, config.theta());
    }

    /** The student's RMSNorm with the input norm's weight, or the post-attention norm's. */
    Object studentNorm(StudentCode code, NDManager m, boolean postAttention) throws StudentFailure {
        return code.construct(NORM, NORM_CONSTRUCTOR, m.create(postAttention ? postNorm : inputNorm), config.eps());
    }

    Object studentMlp(StudentCode code, NDManager m) throws StudentFailure {
        NDArray[] a = mlpArrays(m);
        return code.construct(MLP, MLP_CONSTRUCTOR, a[0], a[1], a[2]);
    }
}
