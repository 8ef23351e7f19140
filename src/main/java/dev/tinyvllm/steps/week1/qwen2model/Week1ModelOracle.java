package dev.tinyvllm.steps.week1.qwen2model;

import dev.tinyvllm.steps.week1.gqa.GqaOracle;
import dev.tinyvllm.steps.week1.qwen2block.BlockOracle;
import dev.tinyvllm.steps.week1.rmsnormmlp.NormMlpMutation;
import dev.tinyvllm.steps.week1.rmsnormmlp.NormMlpOracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.oracle.LayerKernels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Hidden reference of the week-1 Qwen2 model, which has no cache: embedding, the stack of
 * {@link BlockOracle} blocks, the final RMSNorm and the output head (the embedding matrix again when
 * the model ties them, else {@code lm_head}). Every piece is one of libtorch's kernels
 * ({@code aten::embedding}, {@code aten::rms_norm}, {@code aten::linear}, grouped SDPA). The weights are
 * read straight from the checkpoint, not through the loader the student's code uses.
 */
public final class Week1ModelOracle {

    private Week1ModelOracle() {}

    /**
     * All weights of a model.
     *
     * @param lmHead the separate output head, or null when the head is the embedding
     */
    public record Weights(NDArray embedding, List<BlockOracle.BlockWeights> layers, NDArray norm, double eps,
            NDArray lmHead) {

        /** The matrix that turns the final hidden state into logits. */
        public NDArray head() {
            return lmHead == null ? embedding : lmHead;
        }
    }

    /** Every hidden state of one forward pass: the embedding's output, then each layer's, then the normed and the logits. */
    public record Trace(List<NDArray> hidden, NDArray normed, NDArray logits) {}

    /** Reads the weights of a checkpoint as float32 arrays on {@code manager}. */
    public static Weights load(Checkpoint checkpoint, Qwen2Config c, NDManager manager) {
        List<BlockOracle.BlockWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            GqaOracle.AttentionWeights attention = new GqaOracle.AttentionWeights(c.numAttentionHeads(),
                    c.numKeyValueHeads(), read(checkpoint, manager, p + "self_attn.q_proj.weight"),
                    read(checkpoint, manager, p + "self_attn.q_proj.bias"),
                    read(checkpoint, manager, p + "self_attn.k_proj.weight"),
                    read(checkpoint, manager, p + "self_attn.k_proj.bias"),
                    read(checkpoint, manager, p + "self_attn.v_proj.weight"),
                    read(checkpoint, manager, p + "self_attn.v_proj.bias"),
                    read(checkpoint, manager, p + "self_attn.o_proj.weight"), c.ropeTheta());
            layers.add(new BlockOracle.BlockWeights(read(checkpoint, manager, p + "input_layernorm.weight"),
                    read(checkpoint, manager, p + "post_attention_layernorm.weight"), c.rmsNormEps(), attention,
                    read(checkpoint, manager, p + "mlp.gate_proj.weight"), read(checkpoint, manager, p + "mlp.up_proj.weight"),
                    read(checkpoint, manager, p + "mlp.down_proj.weight")));
        }
        return new Weights(read(checkpoint, manager, "model.embed_tokens.weight"), Collections.unmodifiableList(layers),
                read(checkpoint, manager, "model.norm.weight"), c.rmsNormEps(),
                c.tieWordEmbeddings() ? null : read(checkpoint, manager, "lm_head.weight"));
    }

    private static NDArray read(Checkpoint checkpoint, NDManager manager, String name) {
        return manager.create(checkpoint.readFloats(name), new Shape(checkpoint.info(name).shape()));
    }

    /** The embedding's rows for token ids of any integer type: {@code [batch, len]} to {@code [batch, len, hidden]}. */
    public static NDArray embed(NDArray ids, NDArray embedding) {
        return LayerKernels.embedding(embedding, ids.toType(DataType.INT64, false));
    }

    /** The correct forward pass, with every hidden state. */
    public static Trace trace(NDArray ids, Weights w) {
        List<NDArray> hidden = new ArrayList<>();
        NDArray x = embed(ids, w.embedding());
        hidden.add(x);
        for (BlockOracle.BlockWeights layer : w.layers()) {
            x = BlockOracle.stages(x, layer).out();
            hidden.add(x);
        }
        NDArray normed = NormMlpOracle.rmsNorm(x, w.norm(), w.eps(), EnumSet.noneOf(NormMlpMutation.class));
        return new Trace(List.copyOf(hidden), normed, LayerKernels.linear(normed, w.head(), null));
    }

    /** The logits with the given mistakes (none: {@code trace(ids, w).logits()}); layer mutations apply to every layer. */
    public static NDArray logits(NDArray ids, Weights w, Set<ModelMutation> mutations) {
        NDArray embedded = embed(ids, w.embedding());
        List<BlockOracle.BlockWeights> layers = w.layers();
        if (mutations.contains(ModelMutation.FIRST_LAYER_SKIPPED)) {
            layers = layers.subList(1, layers.size());
        }
        if (mutations.contains(ModelMutation.LAST_LAYER_SKIPPED)) {
            layers = layers.subList(0, layers.size() - 1);
        }
        NDArray x = embedded;
        for (BlockOracle.BlockWeights layer : layers) {
            NDArray in = mutations.contains(ModelMutation.LAYERS_NOT_CHAINED) ? embedded : x;
            x = layer(in, layer, mutations);
        }
        if (!mutations.contains(ModelMutation.FINAL_NORM_MISSING)) {
            x = NormMlpOracle.rmsNorm(x, w.norm(), w.eps(), EnumSet.noneOf(NormMlpMutation.class));
        }
        NDArray head = mutations.contains(ModelMutation.HEAD_FROM_EMBEDDING) ? w.embedding() : w.head();
        return LayerKernels.linear(x, head, null);
    }

    /** One decoder layer whose weights were loaded with the given mistakes (only layer mutations count). */
    public static NDArray layer(NDArray x, BlockOracle.BlockWeights w, Set<ModelMutation> mutations) {
        return BlockOracle.stages(x, mutate(w, mutations)).out();
    }

    /** A layer's weights as a loader with these mistakes would have built them. */
    public static BlockOracle.BlockWeights mutate(BlockOracle.BlockWeights w, Set<ModelMutation> mutations) {
        GqaOracle.AttentionWeights a = w.attention();
        if (mutations.contains(ModelMutation.K_V_SWAPPED)) {
            a = new GqaOracle.AttentionWeights(a.heads(), a.kvHeads(), a.wq(), a.bq(), a.wv(), a.bv(), a.wk(), a.bk(),
                    a.wo(), a.ropeTheta());
        }
        boolean norms = mutations.contains(ModelMutation.NORM_WEIGHTS_SWAPPED);
        boolean mlp = mutations.contains(ModelMutation.GATE_UP_SWAPPED);
        return new BlockOracle.BlockWeights(norms ? w.postAttentionNorm() : w.inputNorm(),
                norms ? w.inputNorm() : w.postAttentionNorm(), w.eps(), a, mlp ? w.wUp() : w.wGate(),
                mlp ? w.wGate() : w.wUp(), w.wDown());
    }
}
