package dev.tinyvllm.steps.test.scale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Mutation;
import dev.tinyvllm.check.Static;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.StudentClass;
import dev.tinyvllm.check.Tag;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of test/scale, a step that exists only in the test resources and this package: the proof
 * that a step is one unit the checker finds through its catalog line alone.
 */
public final class ScaleChecks implements StepChecks {

    /** The student's class, as the checks call it. */
    @StudentClass("test.scale.Scale")
    public interface Scale {
        @Static
        NDArray times(NDArray x, float k);
    }

    /** The step's diagnoses. */
    public enum ScaleTag implements Tag { ADDED_INSTEAD }

    /** Known-wrong variants of the oracle. */
    public enum ScaleMutation implements Mutation {
        ADDED;

        @Override
        public Mistake mistake() {
            return new Mistake(ScaleTag.ADDED_INSTEAD, this);
        }
    }

    @Override
    public List<Check> checks() {
        return List.of(
                Check.of("times.values", "times", "a [3, 5] array times 2.5", ctx -> values(ctx, new long[] {3, 5}, 2.5f)),
                Check.of("times.zero", "times", "times 0 gives zeros", ctx -> values(ctx, new long[] {2, 3, 4}, 0f))
                        .after("times.values"));
    }

    @Override
    public Class<? extends Tag> tags() {
        return ScaleTag.class;
    }

    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.of(CommonTag.SHAPE_MISMATCH, CommonTag.NAN_OUTPUT);
    }

    private static CheckResult values(CheckContext ctx, long[] shape, float k) {
        float[] x = Grading.gaussian(ctx.random(), (int) new Shape(shape).size(), 1);
        float[] expected = oracle(x, k, EnumSet.noneOf(ScaleMutation.class));
        NDArray out = ctx.student(Scale.class).times(ctx.manager().create(x, new Shape(shape)), k);
        float[] actual = Grading.values(out, "times", Grading.dims(shape), DataType.FLOAT32);
        return Grading.compare(ctx.check().spec(), actual, expected, Grading.dims(shape), ctx.tolerance(),
                Arrays.asList(new String[shape.length]), () -> Grading.agreedTags(actual, expected, ctx.tolerance(),
                        Grading.singles(List.of(ScaleMutation.values()), set -> oracle(x, k, set))));
    }

    static float[] oracle(float[] x, float k, Set<ScaleMutation> mutations) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = mutations.contains(ScaleMutation.ADDED) ? x[i] + k : x[i] * k;
        }
        return y;
    }
}
