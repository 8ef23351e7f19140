package dev.tinyvllm.check.steps;

import static dev.tinyvllm.check.steps.Grading.dims;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepGrader;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.check.steps.Grading.NamedCase;
import dev.tinyvllm.check.steps.Grading.Variant;
import dev.tinyvllm.check.steps.Grading.WrongOutput;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.oracle.BlockOracle;
import dev.tinyvllm.oracle.ModelMutation;
import dev.tinyvllm.oracle.Week1ModelOracle;
import dev.tinyvllm.student.ModelFolder;
import dev.tinyvllm.torch.LayerKernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * week1/qwen2-model: the student's embedding on its own, then the student's whole model on tiny random
 * Qwen2 folders the checker writes (tied and untied heads, float32 and sharded bfloat16 weights) against
 * the oracle model. A failing model check looks inside the student's model, in the order data flows:
 * the embedding, then each layer given exactly the hidden state a correct model feeds it (the first
 * that differs is named, and told apart from a mistake in the block step itself by building the
 * student's block from the right weights), the final norm, and finally known-wrong ways to wire them.
 */
public final class ModelGrader implements StepGrader {

    static final String MODEL = "week1.model.Qwen2Model";
    static final String EMBEDDING = "week1.model.Embedding";
    static final Class<?>[] MODEL_CONSTRUCTOR = {ModelFolder.class, NDManager.class, int.class};
    private static final Class<?>[] EMBEDDING_CONSTRUCTOR = {NDArray.class};
    private static final Class<?>[] NONE = {};
    private static final String LOOKUP_FN = "Embedding.forward";
    private static final String AS_LINEAR_FN = "Embedding.asLinear";
    private static final String MODEL_FN = "Qwen2Model.forward";
    private static final List<String> AXES = Arrays.asList("batch", "token", null);
    private static final int VOCAB = 50;
    private static final int DIM = 12;

    /** A random model the checker writes, and the ids it runs. */
    record ModelCase(String name, String description, int hidden, int heads, int kvHeads, int layers, boolean tied,
            DType dtype, int shards, int batch, int len) implements NamedCase {}

    static final List<ModelCase> CASES = List.of(
            new ModelCase("tied", "2 layers, hidden 32, 4 heads over 2 key/value heads, tied head, 2 sequences of 5 tokens",
                    32, 4, 2, 2, true, DType.F32, 1, 2, 5),
            new ModelCase("untied_bf16_shards", "3 layers, hidden 24, 3 heads, its own lm_head, bfloat16 weights in 2 "
                    + "shards, 6 tokens", 24, 3, 3, 3, false, DType.BF16, 2, 1, 6),
            new ModelCase("single_token", "2 layers, 4 heads over 1 key/value head, tied head, 3 sequences of one token",
                    32, 4, 1, 2, true, DType.F32, 1, 3, 1));

    @Override
    public String stepId() {
        return "week1/qwen2-model";
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        checks.add(new CheckSpec("embedding.lookup", LOOKUP_FN,
                "rows of a [" + VOCAB + ", " + DIM + "] embedding for ids [2, 5], repeats, the first and last id included"));
        checks.add(new CheckSpec("embedding.as_linear", AS_LINEAR_FN,
                "x [2, 3, " + DIM + "] against a [" + VOCAB + ", " + DIM + "] embedding gives [2, 3, " + VOCAB + "]"));
        checks.addAll(Grading.specs("qwen2_model.", MODEL_FN, CASES));
        return checks;
    }

    @Override
    public CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        Run run = new Run(check, code, manager, step, seed);
        return Grading.guarded(check, () -> switch (check.id()) {
            case "embedding.lookup" -> run.lookup();
            case "embedding.as_linear" -> run.asLinear();
            default -> run.model(Grading.named(CASES, Grading.caseName(check)));
        });
    }

    /** One check's state. */
    private static final class Run extends CheckContext {
        /** What the diagnosis found, for the report's message. */
        private String finding;

        Run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
            super(check, code, manager, step, seed);
        }

        CheckResult lookup() throws StudentFailure, WrongOutput {
            float[] weight = Grading.gaussian(random, VOCAB * DIM, 1);
            int[] ids = new int[10];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(VOCAB);
            }
            ids[1] = 0;
            ids[6] = VOCAB - 1;
            ids[8] = ids[3];
            Shape idShape = new Shape(2, 5);
            List<Long> shape = dims(2, 5, DIM);
            float[] expected;
            float[] actual;
            try (NDManager scratch = manager.newSubManager()) {
                NDArray w = scratch.create(weight, new Shape(VOCAB, DIM));
                expected = Week1ModelOracle.embed(scratch.create(ids, idShape), w).toFloatArray();
                Object embedding = code.construct(EMBEDDING, EMBEDDING_CONSTRUCTOR, w.duplicate());
                actual = Grading.values(code.invoke(embedding, "forward", Qwen2Layer.FORWARD, scratch.create(ids, idShape)),
                        LOOKUP_FN, shape, DataType.FLOAT32);
            }
            CheckResult result = Grading.compare(check, actual, expected, shape, tolerance, AXES,
                    () -> wrongRows(actual, weight, ids));
            return withFinding(result);
        }

        /** EMBEDDING_WRONG_ROWS when every returned vector is some row of the weight, but not always the right one. */
        private List<String> wrongRows(float[] actual, float[] weight, int[] ids) {
            String first = null;
            for (int t = 0; t < ids.length; t++) {
                float[] vector = Arrays.copyOfRange(actual, t * DIM, (t + 1) * DIM);
                int row = -1;
                for (int r = 0; r < VOCAB && row < 0; r++) {
                    if (Comparison.allClose(vector, Arrays.copyOfRange(weight, r * DIM, (r + 1) * DIM), tolerance)) {
                        row = r;
                    }
                }
                if (row < 0) {
                    return List.of();
                }
                if (row != ids[t] && first == null) {
                    first = String.format(Locale.ROOT, "batch %d, token %d holds id %d but got row %d of the weight",
                            t / 5, t % 5, ids[t], row);
                }
            }
            finding = first;
            return first == null ? List.of() : List.of("EMBEDDING_WRONG_ROWS");
        }

        CheckResult asLinear() throws StudentFailure, WrongOutput {
            float[] weight = Grading.gaussian(random, VOCAB * DIM, 1);
            float[] x = Grading.gaussian(random, 2 * 3 * DIM, 1);
            List<Long> shape = dims(2, 3, VOCAB);
            float[] expected;
            float[] actual;
            try (NDManager scratch = manager.newSubManager()) {
                NDArray w = scratch.create(weight, new Shape(VOCAB, DIM));
                NDArray input = scratch.create(x, new Shape(2, 3, DIM));
                expected = LayerKernels.linear(input, w, null).toFloatArray();
                Object embedding = code.construct(EMBEDDING, EMBEDDING_CONSTRUCTOR, w.duplicate());
                actual = Grading.values(code.invoke(embedding, "asLinear", Qwen2Layer.FORWARD, input.duplicate()),
                        AS_LINEAR_FN, shape, DataType.FLOAT32);
            }
            return withFinding(Grading.compare(check, actual, expected, shape, tolerance, AXES,
                    () -> normalized(actual, expected, VOCAB)));
        }

        CheckResult model(ModelCase c) throws StudentFailure, WrongOutput {
            Path dir = Grading.scratchFolder("tutor-qwen2-");
            try {
                Qwen2Config config = RandomQwen2Model.write(dir, RandomQwen2Model.tiny(c.hidden(), c.heads(),
                        c.kvHeads(), c.layers(), c.tied()), c.dtype(), random.nextLong(), c.shards());
                return model(c, dir, config);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the random model", e);
            } finally {
                Grading.deleteTree(dir);
            }
        }

        private CheckResult model(ModelCase c, Path dir, Qwen2Config config) throws StudentFailure, WrongOutput {
            int[] ids = new int[c.batch() * c.len()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(config.vocabSize());
            }
            Shape idShape = new Shape(c.batch(), c.len());
            List<Long> shape = dims(c.batch(), c.len(), config.vocabSize());
            try (Checkpoint checkpoint = Checkpoint.open(dir); ModelFolder folder = ModelFolder.open(dir);
                    NDManager scratch = manager.newSubManager()) {
                Week1ModelOracle.Weights weights = Week1ModelOracle.load(checkpoint, config, scratch);
                NDArray idArray = scratch.create(ids, idShape);
                Week1ModelOracle.Trace trace = Week1ModelOracle.trace(idArray, weights);
                float[] expected = trace.logits().toFloatArray();
                Object model = code.construct(MODEL, MODEL_CONSTRUCTOR, folder, scratch, Qwen2Layer.MAX_SEQ_LEN);
                float[] actual = Grading.values(code.invoke(model, "forward", Qwen2Layer.FORWARD,
                        scratch.create(ids, idShape)), MODEL_FN, shape, DataType.FLOAT32);
                Inside inside = new Inside(model, checkpoint, config, weights, trace, idArray, scratch);
                return withFinding(Grading.compare(check, actual, expected, shape, tolerance, AXES,
                        () -> inside.diagnose(actual, expected)));
            }
        }

        private CheckResult withFinding(CheckResult result) {
            if (result.status() == Outcome.FAIL && finding != null) {
                return result.withTags(result.tags(), result.message() + "; " + finding);
            }
            return result;
        }

        /** LOGITS_NORMALIZED when the output is the softmax or the log-softmax of the right scores. */
        private List<String> normalized(float[] actual, float[] expected, int vocab) {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray scores = scratch.create(expected, new Shape(expected.length / vocab, vocab));
                for (NDArray variant : List.of(scores.softmax(-1), scores.logSoftmax(-1))) {
                    if (Comparison.allClose(actual, variant.toFloatArray(), tolerance)) {
                        finding = "your output is the softmax or the log-softmax of the expected scores, row by row";
                        return List.of("LOGITS_NORMALIZED");
                    }
                }
            }
            return List.of();
        }

        /** Looks inside a student's model whose logits differ, part by part. */
        private final class Inside {
            private final Object model;
            private final Checkpoint checkpoint;
            private final Qwen2Config config;
            private final Week1ModelOracle.Weights weights;
            private final Week1ModelOracle.Trace trace;
            private final NDArray ids;
            private final NDManager scratch;

            Inside(Object model, Checkpoint checkpoint, Qwen2Config config, Week1ModelOracle.Weights weights,
                    Week1ModelOracle.Trace trace, NDArray ids, NDManager scratch) {
                this.model = model;
                this.checkpoint = checkpoint;
                this.config = config;
                this.weights = weights;
                this.trace = trace;
                this.ids = ids;
                this.scratch = scratch;
            }

            List<String> diagnose(float[] actual, float[] expected) {
                try {
                    List<String> part = firstDivergingPart();
                    if (part != null) {
                        return part;
                    }
                } catch (StudentFailure f) {
                    finding = "the checker could not look inside your model: " + f.getMessage();
                    return wiring(actual, expected);
                }
                List<String> tags = wiring(actual, expected);
                if (tags.isEmpty()) {
                    finding = "your embedding, each of your layers and your final norm agree with the reference on "
                            + "their own, so the difference lies in how forward connects them";
                }
                return tags;
            }

            /** Tags of the first part that differs given a correct input; null when they all agree. */
            private List<String> firstDivergingPart() throws StudentFailure {
                Object embedding = code.invoke(model, "embedding", NONE);
                if (differs(code.invoke(embedding, "forward", Qwen2Layer.FORWARD, ids.duplicate()), trace.hidden().get(0))) {
                    finding = "your model's Embedding does not return the rows of model.embed_tokens.weight for the ids";
                    return List.of("EMBEDDING_DIVERGES");
                }
                Object list = code.invoke(model, "layers", NONE);
                int n = config.numHiddenLayers();
                if (!(list instanceof List<?> layers) || layers.size() != n) {
                    finding = "layers() returns " + (list instanceof List<?> l ? l.size() + (l.size() == 1 ? " layer" : " layers")
                            : "no list")
                            + " but config.json says num_hidden_layers is " + n;
                    return List.of("LAYER_COUNT_WRONG");
                }
                for (int i = 0; i < n; i++) {
                    NDArray in = trace.hidden().get(i);
                    Object out = code.invoke(layers.get(i), "forward", Qwen2Layer.FORWARD, in.duplicate());
                    if (differs(out, trace.hidden().get(i + 1))) {
                        return layerDiverges(i, out);
                    }
                }
                Object norm = code.invoke(model, "norm", NONE);
                if (differs(code.invoke(norm, "forward", Qwen2Layer.FORWARD, trace.hidden().get(n).duplicate()),
                        trace.normed())) {
                    finding = "your model's final RMSNorm differs from one made of model.norm.weight and rms_norm_eps";
                    return List.of("FINAL_NORM_DIVERGES");
                }
                return null;
            }

            private List<String> layerDiverges(int i, Object out) throws StudentFailure {
                String where = "layer " + i + " is the first whose hidden state differs, given exactly the hidden "
                        + "state a correct model feeds it";
                NDArray in = trace.hidden().get(i);
                Object block = Qwen2Layer.fromCheckpoint(checkpoint, config, i).studentBlock(code, scratch);
                if (differs(code.invoke(block, "forward", Qwen2Layer.FORWARD, in.duplicate()), trace.hidden().get(i + 1))) {
                    finding = where + ", and so does your Qwen2Block (week1/qwen2-block) built by the checker from "
                            + "layer " + i + "'s weights";
                    return List.of("BLOCK_DIVERGES");
                }
                float[] actual = floats(out);
                float[] expected = trace.hidden().get(i + 1).toFloatArray();
                for (int j = 0; j < config.numHiddenLayers(); j++) {
                    BlockOracle.BlockWeights other = weights.layers().get(j);
                    if (j != i && close(actual, BlockOracle.stages(in, other).out().toFloatArray(), expected)) {
                        finding = where + "; your layer " + i + " computes what layer " + j + "'s weights compute";
                        return List.of("LAYER_WEIGHTS_MIXED");
                    }
                }
                for (ModelMutation m : ModelMutation.values()) {
                    if (m.ofLayer() && close(actual, Week1ModelOracle.layer(in, weights.layers().get(i),
                            EnumSet.of(m)).toFloatArray(), expected)) {
                        finding = where + "; it matches a layer loaded with " + swapped(m) + " exchanged";
                        return List.of(m.tag());
                    }
                }
                finding = where + ", though your Qwen2Block built by the checker from that layer's weights agrees";
                return List.of("LAYER_DIVERGES");
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
            private List<String> wiring(float[] actual, float[] expected) {
                List<Variant> variants = new ArrayList<>();
                for (ModelMutation m : ModelMutation.values()) {
                    boolean applies = !m.ofLayer() && !(m == ModelMutation.HEAD_FROM_EMBEDDING && config.tieWordEmbeddings())
                            && !(m.name().endsWith("_LAYER_SKIPPED") && config.numHiddenLayers() < 2);
                    if (applies) {
                        variants.add(new Variant(Set.of(m.tag()), 1,
                                () -> Week1ModelOracle.logits(ids, weights, EnumSet.of(m)).toFloatArray()));
                    }
                }
                List<String> tags = Grading.agreedTags(actual, expected, tolerance, variants);
                return tags.isEmpty() ? normalized(actual, expected, config.vocabSize()) : tags;
            }

            /** Whether a part's result differs from the reference; a wrong shape or type counts as different. */
            private boolean differs(Object out, NDArray reference) {
                float[] values = floats(out);
                return values == null || !((NDArray) out).getShape().equals(reference.getShape())
                        || !Comparison.allClose(values, reference.toFloatArray(), tolerance);
            }

            private float[] floats(Object out) {
                if (!(out instanceof NDArray array) || array.getDataType() != DataType.FLOAT32) {
                    return null;
                }
                return array.toFloatArray();
            }

            private boolean close(float[] actual, float[] variant, float[] expected) {
                return actual != null && Grading.explains(variant, actual, expected, tolerance);
            }
        }
    }

}
