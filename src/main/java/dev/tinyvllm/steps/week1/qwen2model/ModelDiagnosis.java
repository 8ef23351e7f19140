package dev.tinyvllm.steps.week1.qwen2model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StudentFailure;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.check.WrongOutput;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.steps.week1.LayerViews;
import dev.tinyvllm.steps.week1.Qwen2Layer;
import dev.tinyvllm.steps.week1.qwen2block.BlockOracle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Looks inside a student's model whose logits differ, in the order data flows: the embedding, then
 * each layer given exactly the hidden state a correct model feeds it (the first that differs is named,
 * and told apart from a mistake in the block step itself by building the student's block from the right
 * weights), the final norm, and finally known-wrong ways to wire correct parts.
 */
final class ModelDiagnosis {

    /**
     * What a diagnosis found: the tags it is sure of, and a sentence for the report (null for none).
     */
    record Finding(List<Tag> tags, String note) {
        static final Finding NONE = new Finding(List.of(), null);

        Finding(Tag tag, String note) {
            this(List.of(tag), note);
        }

        Finding orNote(String fallback) {
            return note != null ? this : new Finding(tags, fallback);
        }
    }

    private final CheckContext ctx;
    private final ModelViews.Model model;
    private final Checkpoint checkpoint;
    private final Qwen2Config config;
    private final Week1ModelOracle.Weights weights;
    private final Week1ModelOracle.Trace trace;
    private final NDArray ids;

    ModelDiagnosis(CheckContext ctx, ModelViews.Model model, Checkpoint checkpoint, Qwen2Config config,
            Week1ModelOracle.Weights weights, Week1ModelOracle.Trace trace, NDArray ids) {
        this.ctx = ctx;
        this.model = model;
        this.checkpoint = checkpoint;
        this.config = config;
        this.weights = weights;
        this.trace = trace;
        this.ids = ids;
    }

    Finding diagnose(float[] actual, float[] expected) {
        Finding part;
        try {
            part = firstDivergingPart();
        } catch (StudentFailure | WrongOutput f) {
            // A part that throws, or is not what the model step asks for, cannot be looked at alone.
            return wiring(actual, expected).orNote("the checker could not look inside your model: " + f.getMessage());
        }
        if (part != null) {
            return part;
        }
        Finding wiring = wiring(actual, expected);
        return wiring.tags().isEmpty() ? new Finding(List.of(), "your embedding, each of your layers and your final "
                + "norm agree with the reference on their own, so the difference lies in how forward connects them")
                : wiring;
    }

    /** The first part that differs given a correct input; null when they all agree. */
    private Finding firstDivergingPart() {
        ModelViews.Embedding embedding = present(model.embedding(), "embedding()");
        if (differs(read(() -> embedding.forward(ids), trace.hidden().get(0)), trace.hidden().get(0))) {
            return new Finding(ModelTag.EMBEDDING_DIVERGES,
                    "your model's Embedding does not return the rows of model.embed_tokens.weight for the ids");
        }
        List<LayerViews.Block> layers;
        try {
            layers = model.layers();
        } catch (WrongOutput notAList) {
            layers = null;
        }
        int n = config.numHiddenLayers();
        if (layers == null || layers.size() != n) {
            return new Finding(ModelTag.LAYER_COUNT_WRONG, "layers() returns " + (layers == null ? "no list"
                    : layers.size() + (layers.size() == 1 ? " layer" : " layers"))
                    + " but config.json says num_hidden_layers is " + n);
        }
        for (int i = 0; i < n; i++) {
            NDArray in = trace.hidden().get(i);
            LayerViews.Block layer = present(layers.get(i), "layers().get(" + i + ")");
            float[] out = read(() -> layer.forward(in), trace.hidden().get(i + 1));
            if (differs(out, trace.hidden().get(i + 1))) {
                return layerDiverges(i, out);
            }
        }
        LayerViews.Norm norm = present(model.norm(), "norm()");
        NDArray last = trace.hidden().get(n);
        if (differs(read(() -> norm.forward(last), trace.normed()), trace.normed())) {
            return new Finding(ModelTag.FINAL_NORM_DIVERGES,
                    "your model's final RMSNorm differs from one made of model.norm.weight and rms_norm_eps");
        }
        return null;
    }

    /** @param actual the student's layer's output, null when it is no float32 array of the right shape */
    private Finding layerDiverges(int i, float[] actual) {
        String where = "layer " + i + " is the first whose hidden state differs, given exactly the hidden "
                + "state a correct model feeds it";
        NDArray in = trace.hidden().get(i);
        NDArray next = trace.hidden().get(i + 1);
        LayerViews.Block block = Qwen2Layer.fromCheckpoint(checkpoint, config, i).studentBlock(ctx);
        if (differs(read(() -> block.forward(in), next), next)) {
            return new Finding(ModelTag.BLOCK_DIVERGES, where + ", and so does your Qwen2Block (week1/qwen2-block) "
                    + "built by the checker from layer " + i + "'s weights");
        }
        float[] expected = next.toFloatArray();
        for (int j = 0; j < config.numHiddenLayers(); j++) {
            BlockOracle.BlockWeights other = weights.layers().get(j);
            if (j != i && explains(BlockOracle.stages(in, other).out().toFloatArray(), actual, expected)) {
                return new Finding(ModelTag.LAYER_WEIGHTS_MIXED,
                        where + "; your layer " + i + " computes what layer " + j + "'s weights compute");
            }
        }
        for (ModelMutation m : ModelMutation.values()) {
            if (m.ofLayer() && explains(Week1ModelOracle.layer(in, weights.layers().get(i), EnumSet.of(m))
                    .toFloatArray(), actual, expected)) {
                return new Finding(m.tag(), where + "; it matches a layer loaded with " + swapped(m) + " exchanged");
            }
        }
        return new Finding(ModelTag.LAYER_DIVERGES,
                where + ", though your Qwen2Block built by the checker from that layer's weights agrees");
    }

    private static String swapped(ModelMutation m) {
        return switch (m) {
            case NORM_WEIGHTS_SWAPPED -> "input_layernorm and post_attention_layernorm";
            case GATE_UP_SWAPPED -> "gate_proj and up_proj";
            case K_V_SWAPPED -> "k_proj and v_proj";
            default -> m.name();
        };
    }

    /** Known-wrong wirings of correct parts, tried one at a time. */
    private Finding wiring(float[] actual, float[] expected) {
        List<ModelMutation> candidates = new ArrayList<>();
        for (ModelMutation m : ModelMutation.values()) {
            boolean applies = !m.ofLayer() && !(m == ModelMutation.HEAD_FROM_EMBEDDING && config.tieWordEmbeddings())
                    && !((m == ModelMutation.FIRST_LAYER_SKIPPED || m == ModelMutation.LAST_LAYER_SKIPPED)
                            && config.numHiddenLayers() < 2);
            if (applies) {
                candidates.add(m);
            }
        }
        List<Tag> tags = Grading.agreedTags(actual, expected, ctx.tolerance(), Grading.singles(candidates,
                set -> Week1ModelOracle.logits(ids, weights, set).toFloatArray()));
        return tags.isEmpty() ? normalized(ctx, actual, expected, config.vocabSize()) : new Finding(tags, null);
    }

    /** LOGITS_NORMALIZED when the output is the softmax or the log-softmax of the right scores. */
    static Finding normalized(CheckContext ctx, float[] actual, float[] expected, int vocab) {
        try (NDManager scratch = ctx.manager().newSubManager()) {
            NDArray scores = scratch.create(expected, new Shape(expected.length / vocab, vocab));
            for (NDArray variant : List.of(scores.softmax(-1), scores.logSoftmax(-1))) {
                if (Comparison.allClose(actual, variant.toFloatArray(), ctx.tolerance())) {
                    return new Finding(ModelTag.LOGITS_NORMALIZED,
                            "your output is the softmax or the log-softmax of the expected scores, row by row");
                }
            }
        }
        return Finding.NONE;
    }

    /** A part the model hands out, which the diagnosis cannot call when it is null. */
    private static <T> T present(T part, String what) {
        if (part == null) {
            throw new StudentFailure(Outcome.ERROR, what + " returned null");
        }
        return part;
    }

    /**
     * A part's result as values, or null when it is no float32 array of the reference's shape (which
     * counts as differing: the part is looked at, not graded, here).
     */
    private static float[] read(Supplier<NDArray> call, NDArray reference) {
        NDArray out;
        try {
            out = call.get();
        } catch (WrongOutput notAnArray) {
            return null;
        }
        if (out == null || out.getDataType() != DataType.FLOAT32 || !out.getShape().equals(reference.getShape())) {
            return null;
        }
        return out.toFloatArray();
    }

    private boolean differs(float[] values, NDArray reference) {
        return values == null || !Comparison.allClose(values, reference.toFloatArray(), ctx.tolerance());
    }

    private boolean explains(float[] variant, float[] actual, float[] expected) {
        return actual != null && Grading.explains(variant, actual, expected, ctx.tolerance());
    }
}
