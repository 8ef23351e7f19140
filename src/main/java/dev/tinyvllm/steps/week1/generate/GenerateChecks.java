package dev.tinyvllm.steps.week1.generate;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.oracle.LayerKernels;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of week1/generate. The loop is tested on its own with a scripted model
 * ({@link ScriptedGreedy}, {@link ChatCheck}), whose choices are known, so each typical mistake shows as
 * itself; one check ({@link YourModelCheck}) runs the student's own week-1 model with the student's loop
 * against the oracle. The scripted model and the recorders of streamed output run in the student JVM
 * ({@code driver} package and the host's fixtures); every verdict is reached here.
 */
public final class GenerateChecks implements StepChecks {

    static final String GREEDY_FN = "Generator.greedy";
    static final String CHAT_FN = "Generator.chat";

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (ScriptedGreedy.Case c : ScriptedGreedy.CASES) {
            checks.add(Check.of("greedy." + c.name(), GREEDY_FN, c.description(), ctx -> ScriptedGreedy.check(ctx, c)));
        }
        checks.add(Check.of("greedy.your_model", GREEDY_FN, "your Qwen2Model (week1/qwen2-model) on a random "
                + "2-layer model folder: " + YourModelCheck.TOKENS + " greedy tokens after a chat prompt",
                YourModelCheck::check));
        for (ChatCheck.Case c : ChatCheck.CASES) {
            checks.add(Check.of("chat." + c.name(), CHAT_FN, c.description(), ctx -> ChatCheck.check(ctx, c)));
        }
        return List.copyOf(checks);
    }

    @Override
    public Class<? extends Tag> tags() {
        return GenerateTag.class;
    }

    /** The checks judge ids and text, never arrays of the student's, so no common tag applies. */
    @Override
    public Set<CommonTag> commonTags() {
        return EnumSet.noneOf(CommonTag.class);
    }

    /** The oracle of greedy.your_model runs on the layer kernels, compiled on first use. */
    @Override
    public void warmUp(NDManager manager) {
        LayerKernels.silu(manager.ones(new Shape(1, 2)));
    }
}
