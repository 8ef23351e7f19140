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
import dev.tinyvllm.check.StepGrader;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.check.steps.Grading.NamedCase;
import dev.tinyvllm.check.steps.Grading.Variant;
import dev.tinyvllm.check.steps.Grading.WrongOutput;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.Tolerance;
import dev.tinyvllm.oracle.NormMlpMutation;
import dev.tinyvllm.oracle.NormMlpOracle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * week1/rmsnorm-mlp: RMSNorm against libtorch's {@code aten::rms_norm} (float32, small values where eps
 * matters, float16 inputs large enough that their squares overflow half precision) and the SwiGLU MLP
 * against {@code aten::linear} and {@code aten::silu}. A probe scales one token and expects no other
 * token's output to move: normalisation belongs to each token alone.
 */
public final class NormMlpGrader implements StepGrader {

    private static final String NORM_FN = "RMSNorm.forward";
    private static final String MLP_FN = "Qwen2MLP.forward";

    /**
     * float16 keeps about 3 significant digits: comparing a float16 result to libtorch's allows for a
     * rounding step more or less on the way (multiplying by the weight before or after the cast).
     */
    static final Tolerance HALF = new Tolerance(5e-3, 2e-3);

    private record NormCase(String name, String description, long[] shape, double scale, float eps, boolean half)
            implements NamedCase {}

    private record MlpCase(String name, String description, long[] shape, int intermediate) implements NamedCase {}

    private static final List<NormCase> NORM_CASES = List.of(
            new NormCase("rows", "7 rows of 24 features, eps 1e-6", new long[] {7, 24}, 1, 1e-6f, false),
            new NormCase("tokens", "batch 2, 5 tokens, 16 features, eps 1e-5", new long[] {2, 5, 16}, 1, 1e-5f, false),
            new NormCase("small_values", "values near 0.01 with eps 1e-3, where eps is not negligible",
                    new long[] {3, 16}, 0.01, 1e-3f, false),
            new NormCase("half_precision", "float16 values near 1000: their squares overflow float16",
                    new long[] {4, 32}, 1000, 1e-6f, true));

    private static final List<MlpCase> MLP_CASES = List.of(
            new MlpCase("tokens", "batch 2, 5 tokens, dim 16, intermediate 40", new long[] {2, 5, 16}, 40),
            new MlpCase("single_token", "one token, dim 24, intermediate 64", new long[] {1, 1, 24}, 64),
            new MlpCase("rows", "6 rows of dim 8 (two axes), intermediate 20", new long[] {6, 8}, 20));

    private static final String ROW_PROBE = "tokens_independent";

    @Override
    public String stepId() {
        return "week1/rmsnorm-mlp";
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        checks.addAll(Grading.specs("rms_norm.", NORM_FN, NORM_CASES));
        checks.add(new CheckSpec("rms_norm." + ROW_PROBE, NORM_FN, "scaling one token's vector moves no other token"));
        checks.addAll(Grading.specs("qwen2_mlp.", MLP_FN, MLP_CASES));
        return checks;
    }

    @Override
    public CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        String caseName = Grading.caseName(check);
        Run run = new Run(check, code, manager, step, seed);
        return Grading.guarded(check, () -> {
            if (check.function().equals(MLP_FN)) {
                return run.mlpCheck(Grading.named(MLP_CASES, caseName));
            }
            return caseName.equals(ROW_PROBE) ? run.rowProbe() : run.normCheck(Grading.named(NORM_CASES, caseName));
        });
    }

    private static List<String> axes(long[] shape) {
        return shape.length == 2 ? Arrays.asList("token", null) : Arrays.asList("batch", "token", null);
    }

    /** One check's state. */
    private static final class Run extends CheckContext {

        Run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
            super(check, code, manager, step, seed);
        }

        // ---------------------------------------------------------------- RMSNorm

        CheckResult normCheck(NormCase c) throws StudentFailure, WrongOutput {
            int dim = (int) c.shape()[c.shape().length - 1];
            float[] x = Grading.gaussian(random, (int) new Shape(c.shape()).size(), c.scale());
            float[] weight = weight(dim);
            Tolerance tol = c.half() ? HALF : tolerance;
            float[] expected = oracleNorm(c, x, weight, EnumSet.noneOf(NormMlpMutation.class));
            float[] actual = studentNorm(c, x, weight);
            return Grading.compare(check, actual, expected, dims(c.shape()), tol, axes(c.shape()), () -> {
                List<NormMlpMutation> candidates = new ArrayList<>();
                for (NormMlpMutation m : NormMlpMutation.values()) {
                    if (m.ofNorm() && (c.half() || m != NormMlpMutation.HALF_PRECISION_SUM)) {
                        candidates.add(m);
                    }
                }
                List<String> tags = Grading.agreedTags(actual, expected, tol,
                        Grading.variants(candidates, set -> oracleNorm(c, x, weight, set)));
                return tags.isEmpty() && rowsInteract() ? List.of("NORM_WRONG_AXIS") : tags;
            });
        }

        CheckResult rowProbe() throws StudentFailure, WrongOutput {
            return rowsInteract()
                    ? fail(check, "multiplying token 2's vector by 10 moved the outputs of other tokens, but each token "
                            + "is normalised by its own numbers only", List.of("NORM_WRONG_AXIS"))
                    : pass(check, "multiplying token 2's vector by 10 moved no other token's output");
        }

        private boolean rowsInteract() throws StudentFailure, WrongOutput {
            NormCase c = new NormCase(ROW_PROBE, "", new long[] {2, 4, 16}, 1, 1e-6f, false);
            float[] x = Grading.gaussian(random, 2 * 4 * 16, 1);
            float[] weight = weight(16);
            float[] base = studentNorm(c, x, weight);
            if (Comparison.hasNonFinite(base)) {
                return false;
            }
            float[] scaled = x.clone();
            for (int i = 2 * 16; i < 3 * 16; i++) {
                scaled[i] *= 10;
            }
            boolean[] moved = Comparison.changed(base, studentNorm(c, scaled, weight), tolerance);
            for (int i = 0; i < moved.length; i++) {
                if (moved[i] && i / 16 != 2) {
                    return true;
                }
            }
            return false;
        }

        private float[] weight(int dim) {
            float[] w = Grading.gaussian(random, dim, 0.3);
            for (int i = 0; i < dim; i++) {
                w[i] += 1;
            }
            return w;
        }

        private float[] oracleNorm(NormCase c, float[] x, float[] weight, Set<NormMlpMutation> mutations) {
            return oracle(scratch -> {
                NDArray[] a = normArrays(c, x, weight, scratch);
                return NormMlpOracle.rmsNorm(a[0], a[1], c.eps(), mutations).toType(DataType.FLOAT32, false);
            });
        }

        private float[] studentNorm(NormCase c, float[] x, float[] weight) throws StudentFailure, WrongOutput {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray[] a = normArrays(c, x, weight, scratch);
                Object norm = code.construct(Qwen2Layer.NORM, Qwen2Layer.NORM_CONSTRUCTOR, a[1], c.eps());
                Object out = code.invoke(norm, "forward", Qwen2Layer.FORWARD, a[0]);
                return Grading.values(out, "RMSNorm.forward", dims(c.shape()),
                        c.half() ? DataType.FLOAT16 : DataType.FLOAT32);
            }
        }

        private static NDArray[] normArrays(NormCase c, float[] x, float[] weight, NDManager m) {
            NDArray input = m.create(x, new Shape(c.shape()));
            NDArray w = m.create(weight);
            if (c.half()) {
                return new NDArray[] {input.toType(DataType.FLOAT16, false), w.toType(DataType.FLOAT16, false)};
            }
            return new NDArray[] {input, w};
        }

        // ---------------------------------------------------------------- MLP

        CheckResult mlpCheck(MlpCase c) throws StudentFailure, WrongOutput {
            int dim = (int) c.shape()[c.shape().length - 1];
            float[] x = Grading.gaussian(random, (int) new Shape(c.shape()).size(), 1);
            float[][] w = {
                Grading.gaussian(random, c.intermediate() * dim, 1 / Math.sqrt(dim)),
                Grading.gaussian(random, c.intermediate() * dim, 1 / Math.sqrt(dim)),
                Grading.gaussian(random, dim * c.intermediate(), 1 / Math.sqrt(c.intermediate()))};
            float[] expected = oracleMlp(c, x, w, EnumSet.noneOf(NormMlpMutation.class));
            float[] actual;
            try (NDManager scratch = manager.newSubManager()) {
                NDArray[] a = mlpArrays(c, x, w, scratch);
                Object mlp = code.construct(Qwen2Layer.MLP, Qwen2Layer.MLP_CONSTRUCTOR, a[1], a[2], a[3]);
                actual = Grading.values(code.invoke(mlp, "forward", Qwen2Layer.FORWARD, a[0]), "Qwen2MLP.forward",
                        dims(c.shape()), DataType.FLOAT32);
            }
            return Grading.compare(check, actual, expected, dims(c.shape()), tolerance, axes(c.shape()), () -> {
                List<Variant> variants = new ArrayList<>();
                for (NormMlpMutation m : NormMlpMutation.values()) {
                    if (!m.ofNorm()) {
                        variants.add(new Variant(Set.of(m.tag()), 1, () -> oracleMlp(c, x, w, EnumSet.of(m))));
                    }
                }
                return Grading.agreedTags(actual, expected, tolerance, variants);
            });
        }

        private float[] oracleMlp(MlpCase c, float[] x, float[][] w, Set<NormMlpMutation> mutations) {
            return oracle(scratch -> {
                NDArray[] a = mlpArrays(c, x, w, scratch);
                return NormMlpOracle.mlp(a[0], a[1], a[2], a[3], mutations);
            });
        }

        private static NDArray[] mlpArrays(MlpCase c, float[] x, float[][] w, NDManager m) {
            int dim = (int) c.shape()[c.shape().length - 1];
            return new NDArray[] {m.create(x, new Shape(c.shape())),
                m.create(w[0], new Shape(c.intermediate(), dim)), m.create(w[1], new Shape(c.intermediate(), dim)),
                m.create(w[2], new Shape(dim, c.intermediate()))};
        }
    }
}
