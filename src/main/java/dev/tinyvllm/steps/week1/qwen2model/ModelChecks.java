package dev.tinyvllm.steps.week1.qwen2model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.oracle.LayerKernels;
import dev.tinyvllm.steps.week1.Qwen2Layer;
import dev.tinyvllm.steps.week1.qwen2model.ModelDiagnosis.Finding;
import dev.tinyvllm.student.ModelFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * week1/qwen2-model: the student's embedding on its own, then the student's whole model on tiny random
 * Qwen2 folders the checker writes (tied and untied heads, float32 and sharded bfloat16 weights) against
 * the oracle model. A failing model check looks inside the student's model ({@link ModelDiagnosis}).
 */
public final class ModelChecks implements StepChecks {

    private static final String LOOKUP_FN = "Embedding.forward";
    private static final String AS_LINEAR_FN = "Embedding.asLinear";
    private static final String MODEL_FN = "Qwen2Model.forward";
    private static final List<String> AXES = Arrays.asList("batch", "token", null);
    private static final int VOCAB = 50;
    private static final int DIM = 12;

    /** A random model the checker writes, and the ids it runs. */
    private record ModelCase(String name, String description, int hidden, int heads, int kvHeads, int layers,
            boolean tied, DType dtype, int shards, int batch, int len) {}

    private static final List<ModelCase> CASES = List.of(
            new ModelCase("tied", "2 layers, hidden 32, 4 heads over 2 key/value heads, tied head, 2 sequences of 5 tokens",
                    32, 4, 2, 2, true, DType.F32, 1, 2, 5),
            new ModelCase("untied_bf16_shards", "3 layers, hidden 24, 3 heads, its own lm_head, bfloat16 weights in 2 "
                    + "shards, 6 tokens", 24, 3, 3, 3, false, DType.BF16, 2, 1, 6),
            new ModelCase("single_token", "2 layers, 4 heads over 1 key/value head, tied head, 3 sequences of one token",
                    32, 4, 1, 2, true, DType.F32, 1, 3, 1));

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of("embedding.lookup", LOOKUP_FN, "rows of a [" + VOCAB + ", " + DIM
                + "] embedding for ids [2, 5], repeats, the first and last id included", ModelChecks::lookup));
        checks.add(Check.of("embedding.as_linear", AS_LINEAR_FN, "x [2, 3, " + DIM + "] against a [" + VOCAB + ", "
                + DIM + "] embedding gives [2, 3, " + VOCAB + "]", ModelChecks::asLinear));
        for (ModelCase c : CASES) {
            checks.add(Check.of("qwen2_model." + c.name(), MODEL_FN, c.description(), ctx -> model(ctx, c)));
        }
        return checks;
    }

    @Override
    public Class<? extends Tag> tags() {
        return ModelTag.class;
    }

    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.of(CommonTag.NAN_OUTPUT, CommonTag.SHAPE_MISMATCH, CommonTag.DTYPE_CHANGED);
    }

    @Override
    public void warmUp(NDManager manager) {
        Qwen2Layer.warmUpKernels(manager);
    }

    private static CheckResult lookup(CheckContext ctx) {
        float[] weight = Grading.gaussian(ctx.random(), VOCAB * DIM, 1);
        int[] ids = new int[10];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ctx.random().nextInt(VOCAB);
        }
        // The first and the last row, and one id twice.
        ids[1] = 0;
        ids[6] = VOCAB - 1;
        ids[8] = ids[3];
        Shape idShape = new Shape(2, 5);
        List<Long> shape = Grading.dims(2, 5, DIM);
        NDManager m = ctx.manager();
        float[] expected = ctx.oracle(scratch -> Week1ModelOracle.embed(scratch.create(ids, idShape),
                scratch.create(weight, new Shape(VOCAB, DIM))));
        ModelViews.Embedding embedding = ctx.student(ModelViews.Embedding.class)
                .create(m.create(weight, new Shape(VOCAB, DIM)));
        float[] actual = Grading.values(embedding.forward(m.create(ids, idShape)), LOOKUP_FN, shape, DataType.FLOAT32);
        return compared(ctx, actual, expected, shape, () -> wrongRows(ctx, actual, weight, ids));
    }

    /** EMBEDDING_WRONG_ROWS when every returned vector is some row of the weight, but not always the right one. */
    private static Finding wrongRows(CheckContext ctx, float[] actual, float[] weight, int[] ids) {
        String first = null;
        for (int t = 0; t < ids.length; t++) {
            float[] vector = Arrays.copyOfRange(actual, t * DIM, (t + 1) * DIM);
            int row = -1;
            for (int r = 0; r < VOCAB && row < 0; r++) {
                if (Comparison.allClose(vector, Arrays.copyOfRange(weight, r * DIM, (r + 1) * DIM), ctx.tolerance())) {
                    row = r;
                }
            }
            if (row < 0) {
                return Finding.NONE;
            }
            if (row != ids[t] && first == null) {
                first = String.format(Locale.ROOT, "batch %d, token %d holds id %d but got row %d of the weight",
                        t / 5, t % 5, ids[t], row);
            }
        }
        return first == null ? Finding.NONE : new Finding(List.of(ModelTag.EMBEDDING_WRONG_ROWS), first);
    }

    private static CheckResult asLinear(CheckContext ctx) {
        float[] weight = Grading.gaussian(ctx.random(), VOCAB * DIM, 1);
        float[] x = Grading.gaussian(ctx.random(), 2 * 3 * DIM, 1);
        List<Long> shape = Grading.dims(2, 3, VOCAB);
        NDManager m = ctx.manager();
        float[] expected = ctx.oracle(scratch -> LayerKernels.linear(scratch.create(x, new Shape(2, 3, DIM)),
                scratch.create(weight, new Shape(VOCAB, DIM)), null));
        ModelViews.Embedding embedding = ctx.student(ModelViews.Embedding.class)
                .create(m.create(weight, new Shape(VOCAB, DIM)));
        float[] actual = Grading.values(embedding.asLinear(m.create(x, new Shape(2, 3, DIM))), AS_LINEAR_FN, shape,
                DataType.FLOAT32);
        return compared(ctx, actual, expected, shape, () -> ModelDiagnosis.normalized(ctx, actual, expected, VOCAB));
    }

    private static CheckResult model(CheckContext ctx, ModelCase c) {
        Path dir = ctx.inputFolder("qwen2-model-");
        Qwen2Config config;
        try {
            config = RandomQwen2Model.write(dir, RandomQwen2Model.tiny(c.hidden(), c.heads(), c.kvHeads(), c.layers(),
                    c.tied()), c.dtype(), ctx.random().nextLong(), c.shards());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the random model", e);
        }
        int[] ids = new int[c.batch() * c.len()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ctx.random().nextInt(config.vocabSize());
        }
        Shape idShape = new Shape(c.batch(), c.len());
        List<Long> shape = Grading.dims(c.batch(), c.len(), config.vocabSize());
        NDManager m = ctx.manager();
        try (Checkpoint checkpoint = Checkpoint.open(dir); ModelFolder folder = ModelFolder.open(dir)) {
            Week1ModelOracle.Weights weights = Week1ModelOracle.load(checkpoint, config, m);
            NDArray idArray = m.create(ids, idShape);
            Week1ModelOracle.Trace trace = Week1ModelOracle.trace(idArray, weights);
            float[] expected = trace.logits().toFloatArray();
            ModelViews.Model model = ctx.student(ModelViews.Model.class).create(folder, m, Qwen2Layer.MAX_SEQ_LEN);
            float[] actual = Grading.values(model.forward(m.create(ids, idShape)), MODEL_FN, shape, DataType.FLOAT32);
            ModelDiagnosis inside = new ModelDiagnosis(ctx, model, checkpoint, config, weights, trace, idArray);
            return compared(ctx, actual, expected, shape, () -> inside.diagnose(actual, expected));
        }
    }

    /** The comparison, its message followed by what the diagnosis found when the check fails. */
    private static CheckResult compared(CheckContext ctx, float[] actual, float[] expected, List<Long> shape,
            Supplier<Finding> diagnosis) {
        AtomicReference<Finding> found = new AtomicReference<>(Finding.NONE);
        CheckResult result = Grading.compare(ctx.check().spec(), actual, expected, shape, ctx.tolerance(), AXES, () -> {
            found.set(diagnosis.get());
            return found.get().tags();
        });
        if (result.status() == Outcome.FAIL && found.get().note() != null) {
            return result.withTags(result.tags(), result.message() + "; " + found.get().note());
        }
        return result;
    }
}
