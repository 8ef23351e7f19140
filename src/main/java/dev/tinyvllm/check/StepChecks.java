package dev.tinyvllm.check;

import ai.djl.ndarray.NDManager;
import dev.tinyvllm.curriculum.Step;
import java.lang.reflect.InvocationTargetException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the checker knows about grading one step, in the step's own package
 * ({@code dev.tinyvllm.steps.week1.attention}, say) beside its oracle, its mistakes and its part
 * detector. The catalog line of the step names the implementing class ({@code "checks"}); nothing else
 * lists it.
 */
public interface StepChecks {

    /** The checks in report order. Ids are unique; a {@link Check#dependsOn} names an earlier check. */
    List<Check> checks();

    /** The step's own diagnoses: an enum implementing {@link Tag}; its guide's {@code ## Tags} lists them. */
    Class<? extends Tag> tags();

    /** Which of the {@link CommonTag}s its checks may give (the guide lists them too). */
    default Set<CommonTag> commonTags() {
        return EnumSet.allOf(CommonTag.class);
    }

    /** Which fused kernels each function may call; by default any. */
    default KernelRule kernels() {
        return KernelRule.ANY;
    }

    /**
     * Whether the step's code calls the student API's fused kernels: the student JVM then compiles them
     * while it waits for its check (a spare long before), not during the first check that calls them.
     */
    default boolean usesFusedKernels() {
        return false;
    }

    /**
     * Loads what the oracles will call into libtorch (TorchScript modules compile on first use) before any
     * check's clock starts.
     */
    default void warmUp(NDManager manager) {}

    /** Every tag this step may give: its own and the common ones it uses. */
    default Set<String> tagNames() {
        Set<String> names = new java.util.TreeSet<>();
        for (Tag t : tags().getEnumConstants()) {
            names.add(t.name());
        }
        commonTags().forEach(t -> names.add(t.name()));
        return names;
    }

    /** The step's checks, made from the class its catalog line names. */
    static StepChecks of(Step step) {
        String name = step.checks();
        if (name == null) {
            throw new IllegalStateException("the catalog names no checks for " + step.id());
        }
        try {
            Class<?> type = Class.forName(name, true, StepChecks.class.getClassLoader());
            return (StepChecks) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | ClassCastException | NoSuchMethodException | InstantiationException
                | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("the checks of " + step.id() + " (" + name + ") cannot be made: " + e, e);
        }
    }
}
