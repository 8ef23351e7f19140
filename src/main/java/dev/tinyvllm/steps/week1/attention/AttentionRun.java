package dev.tinyvllm.steps.week1.attention;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.check.WrongOutput;
import dev.tinyvllm.curriculum.Tolerance;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One check of one attention function: its inputs, the student's output and the oracle's, and the
 * bodies of the value checks, the probes and the CUDA check. Everything here runs in the judge; the
 * student's function is called through {@link AttentionView}.
 */
final class AttentionRun {

    private final CheckContext ctx;
    private final AttentionFunction fn;
    private final AttentionView student;
    private final AttentionProbes probes;

    AttentionRun(CheckContext ctx, AttentionFunction fn) {
        this.ctx = ctx;
        this.fn = fn;
        this.student = ctx.student(AttentionView.class);
        this.probes = new AttentionProbes(this);
    }

    AttentionFunction function() {
        return fn;
    }

    Tolerance tolerance() {
        return ctx.tolerance();
    }

    Random random() {
        return ctx.random();
    }

    NDManager manager() {
        return ctx.manager();
    }

    // ---------------------------------------------------------------- checks

    CheckResult valueCheck(AttentionInputs.Case c) {
        AttentionInputs in = inputs(c);
        float[] expected = oracle(in);
        float[] actual = student(in);
        return compare(in, actual, expected, tolerance(), true);
    }

    CheckResult paddingProbeCheck() {
        AttentionInputs in = inputs(AttentionInputs.Case.probe(2, 6, 2, 4, new int[] {3, 5}));
        float[] base = student(in);
        if (Comparison.hasNonFinite(base)) {
            return Grading.nonFinite(ctx, fn.method());
        }
        if (!probes.paddedKeysMatter(in, base)) {
            return ctx.pass("changing the keys and values at padded positions moved no output");
        }
        List<? extends Tag> tags = probes.heads();
        if (tags.isEmpty()) {
            tags = probes.mask(in, base);
        }
        return ctx.fail("changing only the keys and values at padded positions (mask false) moved the output", tags);
    }

    CheckResult futureProbeCheck() {
        AttentionInputs in = inputs(AttentionInputs.Case.probe(2, 6, 2, 4, null));
        float[] base = student(in);
        if (Comparison.hasNonFinite(base)) {
            return Grading.nonFinite(ctx, fn.method());
        }
        List<AttentionTag> tags = probes.causal(in, base);
        if (tags.isEmpty()) {
            return ctx.pass("changing the last token moved no earlier output, and moved the last one");
        }
        List<AttentionTag> heads = probes.heads();
        boolean slipOnly = tags.contains(AttentionTag.CAUSAL_OFF_BY_ONE) && !tags.contains(AttentionTag.CAUSAL_MISSING);
        return ctx.fail("changing the keys and values of the last token "
                + (slipOnly ? "showed a one-position slip in which tokens are visible" : "moved outputs of earlier tokens"),
                heads.isEmpty() ? tags : heads);
    }

    CheckResult sequenceProbeCheck() {
        AttentionInputs in = inputs(AttentionInputs.Case.probe(0, 0, 2, 4, new int[] {3, 6, 4}));
        float[] base = student(in);
        if (Comparison.hasNonFinite(base)) {
            return Grading.nonFinite(ctx, fn.method());
        }
        if (probes.varlen(in, base).isEmpty()) {
            return ctx.pass("changing sequence 1 moved no token of sequences 0 and 2");
        }
        List<AttentionTag> heads = probes.heads();
        return ctx.fail("changing only sequence 1 moved tokens of another sequence",
                heads.isEmpty() ? List.of(AttentionTag.VARLEN_CROSSES_SEQUENCES) : heads);
    }

    /**
     * libtorch's flash kernel against the student's function, both on the GPU. The judge runs this only
     * where libtorch sees one; the student JVM makes the check's arrays on it.
     */
    CheckResult cudaCheck(AttentionInputs.Case c) {
        AttentionInputs in = inputs(c);
        float[] expected;
        try (NDManager gpu = ctx.manager().newSubManager(Device.gpu())) {
            NDArray[] qkv = in.arrays(gpu);
            expected = AttentionOracle.flashCuda(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), gpu.create(in.cu()),
                    in.maxLength(), fn.causal()).toFloatArray();
        }
        float[] actual = student(in);
        return compare(in, actual, expected, ctx.step().cudaTolerance(), false);
    }

    // ---------------------------------------------------------------- running code

    AttentionInputs inputs(AttentionInputs.Case c) {
        return AttentionInputs.of(c, random());
    }

    /** The student's function on the inputs, through the student JVM, as values of the expected shape. */
    float[] student(AttentionInputs in) {
        try (NDManager scratch = ctx.manager().newSubManager()) {
            NDArray[] qkv = in.arrays(scratch);
            NDArray result = in.packed()
                    ? fn.call(student, qkv, in.heads(), in.dim(), null, scratch.create(in.cu()), in.maxLength())
                    : fn.call(student, qkv, in.heads(), in.dim(), in.mask(scratch), null, 0);
            return values(result, in);
        }
    }

    private float[] oracle(AttentionInputs in) {
        return ctx.oracle(scratch -> {
            NDArray[] qkv = in.arrays(scratch);
            return switch (fn.kind()) {
                case EAGER -> AttentionOracle.eager(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), in.mask(scratch),
                        fn.causal(), Set.of());
                case SDPA -> AttentionOracle.sdpa(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), in.mask(scratch),
                        fn.causal());
                case FLASH -> AttentionOracle.varlen(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), in.cu(),
                        fn.causal());
            };
        });
    }

    /**
     * The output's values once it is a float32 array of the expected shape. The messages are the step's
     * own (a wrong type carries no tag: the guide has none for it).
     */
    private float[] values(NDArray out, AttentionInputs in) {
        List<Long> expected = in.outputShape();
        if (out == null) {
            throw new WrongOutput(fn.method() + " returned null; expected an NDArray of shape " + expected,
                    List.of(CommonTag.SHAPE_MISMATCH), expected, null);
        }
        List<Long> actual = Grading.dims(out.getShape());
        if (!actual.equals(expected)) {
            String hint = out.getShape().size() == in.rows() * (long) in.width()
                    ? " (the same number of values, arranged in a different shape)" : "";
            throw new WrongOutput("expected shape " + expected + ", got " + actual + hint,
                    List.of(CommonTag.SHAPE_MISMATCH), expected, actual);
        }
        if (out.getDataType() != DataType.FLOAT32) {
            throw new WrongOutput("expected float32 values, got " + out.getDataType(), List.of(), expected, actual);
        }
        return out.toFloatArray();
    }

    private CheckResult compare(AttentionInputs in, float[] actual, float[] expected, Tolerance tolerance,
            boolean diagnose) {
        return Grading.compare(ctx.check().spec(), actual, expected, in.outputShape(), tolerance, in::where,
                diagnose ? () -> probes.diagnose(in, actual, expected) : null);
    }
}
