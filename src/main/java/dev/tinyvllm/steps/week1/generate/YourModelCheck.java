package dev.tinyvllm.steps.week1.generate;

import dev.tinyvllm.steps.week1.qwen2model.ModelViews;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.WrongOutput;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.steps.week1.qwen2model.Week1ModelOracle;
import dev.tinyvllm.student.ModelFolder;
import dev.tinyvllm.student.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * greedy.your_model: the student's own week-1 model driven by the student's loop, on a random 2-layer
 * model folder the checker writes, against the oracle's greedy choices. Near-ties count as either
 * choice: float32 rounding may order them either way.
 */
final class YourModelCheck {

    static final int TOKENS = 6;

    private final CheckContext ctx;
    private final Week1ModelOracle.Weights weights;
    private final NDManager scratch;

    private YourModelCheck(CheckContext ctx, Week1ModelOracle.Weights weights, NDManager scratch) {
        this.ctx = ctx;
        this.weights = weights;
        this.scratch = scratch;
    }

    static CheckResult check(CheckContext ctx) {
        Path dir = ctx.inputFolder("generate-model-");
        Qwen2Config config;
        try {
            config = RandomQwen2Model.write(dir, RandomQwen2Model.tiny(32, 4, 2, 2, false), DType.F32,
                    ctx.random().nextLong(), 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the random model", e);
        }
        try (Checkpoint checkpoint = Checkpoint.open(dir); ModelFolder folder = ModelFolder.open(dir);
                Tokenizer tokenizer = Tokenizer.load(dir); NDManager scratch = ctx.manager().newSubManager()) {
            Week1ModelOracle.Weights weights = Week1ModelOracle.load(checkpoint, config, scratch);
            return new YourModelCheck(ctx, weights, scratch).run(folder, tokenizer);
        }
    }

    private CheckResult run(ModelFolder folder, Tokenizer tokenizer) {
        int[] prompt = tokenizer.encode(tokenizer.applyChatTemplate("Say something short."));
        Set<Integer> stops = tokenizer.stopTokenIds();
        ModelViews.Model model = ctx.student(ModelViews.Model.class)
                .create(folder, ctx.manager(), prompt.length + TOKENS + 8);
        Views.Recorder streamed = ctx.student(Views.Recorder.class).create();
        int[] returned = ctx.student(Views.Generator.class).greedy(model, prompt.clone(), stops, TOKENS, streamed);
        if (returned == null) {
            return ctx.fail("greedy returned null; it returns the new ids");
        }
        int[] sequence = prompt;
        for (int j = 0; j <= returned.length && j <= TOKENS; j++) {
            float[] scores = lastRow(Week1ModelOracle.trace(ids(sequence), weights).logits());
            int best = argMax(scores);
            if (j == returned.length || j == TOKENS) {
                boolean done = j == TOKENS || nearBest(scores, stops, best);
                if (!done || returned.length > TOKENS) {
                    return ctx.fail("greedy returned " + Show.ids(returned) + ": "
                            + (done ? "more than maxNewTokens " + TOKENS
                                    : "it stopped although the model's best next token " + best + " is no stop id"));
                }
                break;
            }
            if (!near(scores, returned[j], best)) {
                String message = String.format(Locale.ROOT, "greedy returned %s: new token %d is %d, but the "
                        + "reference model's best next token is %d (score %.4f against %.4f)",
                        Show.ids(returned), j + 1, returned[j], best,
                        returned[j] >= 0 && returned[j] < scores.length ? scores[returned[j]] : Float.NaN, scores[best]);
                return diverges(model, prompt)
                        ? ctx.fail(message + "; your Qwen2Model's logits for the prompt already differ from the "
                                + "reference model's", GenerateTag.MODEL_DIVERGES)
                        : ctx.fail(message);
            }
            sequence = Show.concat(sequence, new int[] {returned[j]});
        }
        return ctx.pass("your model and your loop produce the reference model's greedy tokens " + Show.ids(returned));
    }

    /** Whether the student's model gives other logits than the oracle for the prompt. */
    private boolean diverges(ModelViews.Model model, int[] prompt) {
        float[] expected = Week1ModelOracle.trace(ids(prompt), weights).logits().toFloatArray();
        NDArray logits;
        try {
            logits = model.forward(ids(prompt));
        } catch (WrongOutput w) {
            return true;
        }
        return logits == null
                || !Comparison.allClose(logits.toType(DataType.FLOAT32, false).toFloatArray(), expected, ctx.tolerance());
    }

    /** Within the tolerance of the best score: near-ties cannot tell a right pick from a wrong one. */
    private boolean near(float[] scores, int id, int best) {
        return id >= 0 && id < scores.length
                && scores[best] - scores[id] <= ctx.tolerance().atol() + ctx.tolerance().rtol() * Math.abs(scores[best]);
    }

    private boolean nearBest(float[] scores, Set<Integer> stops, int best) {
        return stops.stream().anyMatch(s -> near(scores, s, best));
    }

    private NDArray ids(int[] ids) {
        return scratch.create(ids, new Shape(1, ids.length));
    }

    private static float[] lastRow(NDArray logits) {
        long vocab = logits.getShape().get(2);
        float[] all = logits.toFloatArray();
        return Arrays.copyOfRange(all, (int) (all.length - vocab), all.length);
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
