package dev.tinyvllm.steps.week1.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.KernelRule;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.torch.FusedKernels;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * week1/attention: six functions, each checked on a few shapes against libtorch, plus a probe of the
 * property that defines it (padding ignored, the future invisible, sequences independent), and for the
 * flash functions one run of libtorch's real flash kernel on CUDA. How a failure is diagnosed is
 * {@link AttentionProbes}'s business.
 */
public final class AttentionChecks implements StepChecks {

    /** The student class whose eager functions the kernel rule restricts. */
    private static final String OWNER = "week1.attention.Attention";

    /** Said after "eagerCausal calls Kernels.x, but ": the step's reason, not the fix. */
    private static final String WHY_NO_KERNEL = "the eager versions are built from plain NDArray operations: they are "
            + "where you see every step that the fused kernels later do for you";

    // Every padded batch row keeps at least one valid and one padded key: an inverted mask then changes
    // the result without leaving a row with nothing to attend to.
    private static final List<AttentionInputs.Case> PADDED_CASES = List.of(
            new AttentionInputs.Case("no_mask", "odd sizes, no mask", 2, 7, 3, 5, null),
            new AttentionInputs.Case("padding_mask", "padding mask, rows of 1, 4 and 5 valid tokens", 3, 6, 2, 4,
                    new int[] {1, 4, 5}),
            new AttentionInputs.Case("batch_1", "batch of one, with a padding mask", 1, 5, 4, 8, new int[] {3}));

    private static final List<AttentionInputs.Case> PACKED_CASES = List.of(
            new AttentionInputs.Case("ragged", "ragged lengths 1, 5 and 16 in one batch", 0, 0, 2, 8,
                    new int[] {1, 5, 16}),
            new AttentionInputs.Case("equal_lengths", "three sequences of 4 tokens", 0, 0, 3, 5, new int[] {4, 4, 4}),
            new AttentionInputs.Case("single_sequence", "one sequence of 9 tokens", 0, 0, 4, 4, new int[] {9}));

    /** Made by the checker from the step's catalog line. */
    public AttentionChecks() {}

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (AttentionFunction fn : AttentionFunction.values()) {
            String p = fn.checkPrefix() + ".";
            for (AttentionInputs.Case c : fn.packed() ? PACKED_CASES : PADDED_CASES) {
                checks.add(check(fn, p + c.name(), c.description(), run -> run.valueCheck(c)));
            }
            if (fn.packed()) {
                checks.add(check(fn, p + "sequences_independent", "changing one sequence moves no other sequence",
                        AttentionRun::sequenceProbeCheck));
                checks.add(check(fn, p + "cuda", "libtorch's flash kernel on CUDA, ragged lengths, bfloat16",
                        run -> run.cudaCheck(PACKED_CASES.get(0))).onCuda());
            } else if (fn.causal()) {
                checks.add(check(fn, p + "future_tokens_ignored", "changing the last token moves no earlier output",
                        AttentionRun::futureProbeCheck));
            } else {
                checks.add(check(fn, p + "padded_keys_ignored", "changing padded keys moves no output",
                        AttentionRun::paddingProbeCheck));
            }
        }
        return checks;
    }

    private static Check check(AttentionFunction fn, String id, String description,
            Function<AttentionRun, CheckResult> body) {
        return Check.of(id, fn.method(), description, (CheckContext ctx) -> body.apply(new AttentionRun(ctx, fn)));
    }

    @Override
    public Class<? extends Tag> tags() {
        return AttentionTag.class;
    }

    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.of(CommonTag.SHAPE_MISMATCH, CommonTag.NAN_OUTPUT);
    }

    /** The eager functions may reach no fused kernel; the sdpa and flash functions are written around one. */
    @Override
    public KernelRule kernels() {
        return KernelRule.of(
                new KernelRule.Entry(AttentionFunction.EAGER_BIDIRECTIONAL.method(), OWNER,
                        AttentionFunction.EAGER_BIDIRECTIONAL.method(), Set.of(), WHY_NO_KERNEL),
                new KernelRule.Entry(AttentionFunction.EAGER_CAUSAL.method(), OWNER,
                        AttentionFunction.EAGER_CAUSAL.method(), Set.of(), WHY_NO_KERNEL));
    }

    /** The SDPA oracle is a TorchScript module, compiled on its first call. */
    @Override
    public boolean usesFusedKernels() {
        return true; // the SDPA and flash functions are built around them
    }

    @Override
    public void warmUp(NDManager manager) {
        NDArray x = manager.ones(new Shape(1, 1, 2, 2));
        FusedKernels.sdpa(x, x, x, null, true);
    }
}
