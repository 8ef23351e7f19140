package dev.tinyvllm.steps.week1.gqa;

import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.steps.week1.Qwen2Layer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * week1/gqa: the causal mask for L queries over S keys (compared exactly), grouped attention against
 * libtorch's SDPA with {@code enable_gqa}, and Qwen2's attention layer against the same kernels with
 * libtorch's {@code linear}. Probes: which query heads move when one key/value head changes; whether
 * the student's own mask, used by the student's own attention, hides exactly the keys after each
 * query; whether changing the last token moves an earlier one.
 */
public final class GqaChecks implements StepChecks {

    private static final String MASK_FN = "GroupedAttention.causalMask";
    private static final String ATTENTION_FN = "GroupedAttention.attention";
    private static final String LAYER_FN = "Qwen2Attention.forward";

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (MaskChecks.MaskCase c : MaskChecks.CASES) {
            checks.add(Check.of("causal_mask." + c.name(), MASK_FN, c.description(), ctx -> MaskChecks.maskCheck(ctx, c)));
        }
        for (GroupedChecks.AttentionCase c : GroupedChecks.CASES) {
            checks.add(Check.of("attention." + c.name(), ATTENTION_FN, c.description(),
                    ctx -> GroupedChecks.attentionCheck(ctx, c)));
        }
        checks.add(Check.of("attention." + GroupedChecks.HEAD_PROBE, ATTENTION_FN,
                "changing one key/value head moves exactly the query heads of its group", GroupedChecks::headProbe));
        checks.add(Check.of("attention." + GroupedChecks.LEAK_PROBE, ATTENTION_FN,
                "with your causalMask(3, 6), changing the last key moves only the last query", GroupedChecks::leakProbe));
        for (LayerChecks.LayerCase c : LayerChecks.CASES) {
            checks.add(Check.of("qwen2_attention." + c.name(), LAYER_FN, c.description(),
                    ctx -> LayerChecks.layerCheck(ctx, c)));
        }
        checks.add(Check.of("qwen2_attention." + LayerChecks.FUTURE_PROBE, LAYER_FN,
                "changing the last token moves no earlier output", LayerChecks::futureProbe));
        return checks;
    }

    @Override
    public Class<? extends Tag> tags() {
        return GqaTag.class;
    }

    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.of(CommonTag.NAN_OUTPUT, CommonTag.SHAPE_MISMATCH, CommonTag.DTYPE_CHANGED);
    }

    @Override
    public void warmUp(NDManager manager) {
        Qwen2Layer.warmUpKernels(manager);
    }
}
