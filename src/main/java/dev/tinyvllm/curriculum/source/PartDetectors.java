package dev.tinyvllm.curriculum.source;

import dev.tinyvllm.curriculum.Step;
import java.lang.reflect.InvocationTargetException;

/**
 * The part detector of a step: the class its catalog line names ({@code "parts"}), which lives in the
 * step's own package; a step without one falls back to {@link GenericParts}.
 */
public final class PartDetectors {

    private PartDetectors() {}

    public static PartDetector forStep(Step step) {
        if (step.parts() == null) {
            return new GenericParts(step);
        }
        try {
            Class<?> type = Class.forName(step.parts(), true, PartDetectors.class.getClassLoader());
            return (PartDetector) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | ClassCastException | NoSuchMethodException | InstantiationException
                | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("the part detector of " + step.id() + " (" + step.parts()
                    + ") cannot be made: " + e, e);
        }
    }

    /** Whether the step has a detector of its own. */
    public static boolean hasOwn(Step step) {
        return step.parts() != null;
    }
}
