package dev.tinyvllm.check.steps;

import static dev.tinyvllm.check.steps.Grading.dims;
import static dev.tinyvllm.check.steps.Grading.fail;
import static dev.tinyvllm.check.steps.Grading.pass;

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
import dev.tinyvllm.check.steps.Grading.WrongOutput;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.oracle.BlockMutation;
import dev.tinyvllm.oracle.BlockOracle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * week1/qwen2-block: the student's block, built from the student's own RMSNorm, Qwen2Attention and
 * Qwen2MLP, against the oracle block on libtorch's kernels. A failing check says where the block first
 * leaves the reference: each of the student's parts is run on exactly the input it would get in a
 * correct block (norm, attention, norm, MLP, in the order data flows); when every part agrees, the
 * wiring (residuals, where the norms sit) is compared with known-wrong wirings.
 */
public final class BlockGrader implements StepGrader {

    private static final String FN = "Qwen2Block.forward";
    private static final List<String> AXES = Arrays.asList("batch", "token", null);

    private record Case(String name, String description, int batch, int len, Qwen2Layer.Config config)
            implements NamedCase {}

    private static final List<Case> CASES = List.of(
            new Case("gqa", "hidden 32, 4 heads over 2 key/value heads, intermediate 48, 5 tokens", 2, 5,
                    new Qwen2Layer.Config(32, 4, 2, 48, 1_000_000, 1e-6f)),
            new Case("mha", "hidden 24, 3 heads, 3 key/value heads, intermediate 40, 6 tokens, eps 1e-5", 1, 6,
                    new Qwen2Layer.Config(24, 3, 3, 40, 10_000, 1e-5f)),
            new Case("single_token", "one token, 4 heads over 1 key/value head, intermediate 64", 2, 1,
                    new Qwen2Layer.Config(32, 4, 1, 64, 1_000_000, 1e-6f)));

    private static final String FUTURE_PROBE = "future_tokens_ignored";

    /** The student's parts, in the order data flows, with the step each comes from. */
    private enum Part {
        INPUT_NORM("NORM_DIVERGES", "RMSNorm (week1/rmsnorm-mlp), as the input norm"),
        ATTENTION("ATTENTION_DIVERGES", "Qwen2Attention (week1/gqa)"),
        POST_ATTENTION_NORM("NORM_DIVERGES", "RMSNorm (week1/rmsnorm-mlp), as the post-attention norm"),
        MLP("MLP_DIVERGES", "Qwen2MLP (week1/rmsnorm-mlp)");

        final String tag;
        final String what;

        Part(String tag, String what) {
            this.tag = tag;
            this.what = what;
        }
    }

    @Override
    public String stepId() {
        return "week1/qwen2-block";
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        checks.addAll(Grading.specs("qwen2_block.", FN, CASES));
        checks.add(new CheckSpec("qwen2_block." + FUTURE_PROBE, FN, "changing the last token moves no earlier output"));
        return checks;
    }

    @Override
    public CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        String caseName = Grading.caseName(check);
        Run run = new Run(check, code, manager, step, seed);
        return Grading.guarded(check, () -> caseName.equals(FUTURE_PROBE) ? run.futureProbe()
                : run.valueCheck(Grading.named(CASES, caseName)));
    }

    /** One check's state. */
    private static final class Run extends CheckContext {
        /** The part found to diverge first, for the report's message. */
        private Part diverging;

        Run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
            super(check, code, manager, step, seed);
        }

        CheckResult valueCheck(Case c) throws StudentFailure, WrongOutput {
            Qwen2Layer layer = Qwen2Layer.random(c.config(), random);
            Shape shape = new Shape(c.batch(), c.len(), c.config().hidden());
            float[] x = Grading.gaussian(random, (int) shape.size(), 1);
            float[] expected = oracle(scratch -> BlockOracle.stages(scratch.create(x, shape), layer.oracleBlock(scratch))
                    .out());
            float[] actual = student(layer, x, shape);
            CheckResult result = Grading.compare(check, actual, expected, dims(shape), tolerance, AXES,
                    () -> diagnose(layer, x, shape, actual, expected));
            if (result.status() == Outcome.FAIL && diverging != null) {
                return result.withTags(result.tags(), result.message() + "; the first part to differ is your "
                        + diverging.what + ", given exactly the input it gets in a correct block");
            }
            if (result.status() == Outcome.FAIL && result.tags().isEmpty()) {
                return result.withTags(result.tags(), result.message() + "; each of your parts agrees with libtorch "
                        + "on its own, so the difference lies in how the block connects them");
            }
            return result;
        }

        CheckResult futureProbe() throws StudentFailure, WrongOutput {
            Qwen2Layer layer = Qwen2Layer.random(new Qwen2Layer.Config(16, 2, 1, 24, 10_000, 1e-6f), random);
            int len = 5;
            int hidden = layer.config.hidden();
            Shape shape = new Shape(1, len, hidden);
            float[] x = Grading.gaussian(random, len * hidden, 1);
            float[] base = student(layer, x, shape);
            if (Comparison.hasNonFinite(base)) {
                return Grading.nonFinite(check, "Qwen2Block.forward");
            }
            float[] changed = x.clone();
            for (int i = (len - 1) * hidden; i < len * hidden; i++) {
                changed[i] = (float) random.nextGaussian();
            }
            boolean[] moved = Comparison.changed(base, student(layer, changed, shape), tolerance);
            for (int i = 0; i < (len - 1) * hidden; i++) {
                if (moved[i]) {
                    String message = "changing only the last token moved the output of token " + i / hidden;
                    return attentionLeaks(layer, x, changed, shape)
                            ? fail(check, message + ", and so does your Qwen2Attention (week1/gqa) on its own",
                                    List.of("ATTENTION_DIVERGES"))
                            : fail(check, message + ", though your Qwen2Attention on its own does not: something in the "
                                    + "block mixes tokens", List.of());
                }
            }
            return pass(check, "changing the last token moved no earlier output");
        }

        /** Whether the student's attention alone lets the last token move an earlier output. */
        private boolean attentionLeaks(Qwen2Layer layer, float[] x, float[] changed, Shape shape)
                throws StudentFailure, WrongOutput {
            float[][] outs = new float[2][];
            float[][] inputs = {x, changed};
            for (int run = 0; run < 2; run++) {
                try (NDManager scratch = manager.newSubManager()) {
                    Object attention = layer.studentAttention(code, scratch);
                    outs[run] = Grading.values(code.invoke(attention, "forward", Qwen2Layer.FORWARD,
                            scratch.create(inputs[run], shape)), "Qwen2Attention.forward", dims(shape), DataType.FLOAT32);
                }
            }
            boolean[] moved = Comparison.changed(outs[0], outs[1], tolerance);
            int hidden = (int) shape.get(2);
            for (int i = 0; i < moved.length - hidden; i++) {
                if (moved[i]) {
                    return true;
                }
            }
            return false;
        }

        private List<String> diagnose(Qwen2Layer layer, float[] x, Shape shape, float[] actual, float[] expected)
                throws StudentFailure, WrongOutput {
            diverging = firstDivergingPart(layer, x, shape);
            if (diverging != null) {
                return List.of(diverging.tag);
            }
            return Grading.agreedTags(actual, expected, tolerance, Grading.variants(List.of(BlockMutation.values()), set ->
                    oracle(scratch -> BlockOracle.block(scratch.create(x, shape), layer.oracleBlock(scratch), set))));
        }

        /** Runs each of the student's parts on the input a correct block would give it; the first that differs. */
        private Part firstDivergingPart(Qwen2Layer layer, float[] x, Shape shape) throws StudentFailure, WrongOutput {
            try (NDManager scratch = manager.newSubManager()) {
                BlockOracle.Stages stages = BlockOracle.stages(scratch.create(x, shape), layer.oracleBlock(scratch));
                Object[] parts = parts(layer, scratch);
                NDArray[] inputs = {stages.x(), stages.normed(), stages.h(), stages.normedH()};
                NDArray[] outputs = {stages.normed(), stages.attention(), stages.normedH(), stages.mlp()};
                for (Part part : Part.values()) {
                    Object out = code.invoke(parts[part.ordinal()], "forward", Qwen2Layer.FORWARD,
                            inputs[part.ordinal()].duplicate());
                    float[] values = Grading.values(out, part.what, dims(shape), DataType.FLOAT32);
                    if (!Comparison.allClose(values, outputs[part.ordinal()].toFloatArray(), tolerance)) {
                        return part;
                    }
                }
            }
            return null;
        }

        /** The student's four parts, in {@link Part} order. */
        private Object[] parts(Qwen2Layer layer, NDManager scratch) throws StudentFailure {
            return new Object[] {layer.studentNorm(code, scratch, false), layer.studentAttention(code, scratch),
                layer.studentNorm(code, scratch, true), layer.studentMlp(code, scratch)};
        }

        private float[] student(Qwen2Layer layer, float[] x, Shape shape) throws StudentFailure, WrongOutput {
            try (NDManager scratch = manager.newSubManager()) {
                Object[] parts;
                try {
                    parts = parts(layer, scratch);
                } catch (StudentFailure f) {
                    throw new StudentFailure(f.outcome(), "the block is built from your classes of week1/gqa and "
                            + "week1/rmsnorm-mlp, and " + f.getMessage(), f.getCause());
                }
                Class<?>[] types = {code.type(Qwen2Layer.NORM), code.type(Qwen2Layer.ATTENTION),
                    code.type(Qwen2Layer.NORM), code.type(Qwen2Layer.MLP)};
                Object block = code.construct(Qwen2Layer.BLOCK, types, parts);
                Object out = code.invoke(block, "forward", Qwen2Layer.FORWARD, scratch.create(x, shape));
                return Grading.values(out, "Qwen2Block.forward", dims(shape), DataType.FLOAT32);
            }
        }
    }
}
