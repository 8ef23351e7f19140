package dev.tinyvllm.tutor.source;

import dev.tinyvllm.curriculum.Step;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The part detector of each step. Detectors live with the tutor, not with the graders: they read
 * the student's text to steer a conversation, while a grader judges behaviour, and the check
 * package must not depend on the tutor. A step missing here falls back to {@link GenericParts}.
 */
public final class PartDetectors {

    private static final Map<String, Supplier<PartDetector>> DETECTORS = Map.of(
            "week1/attention", AttentionParts::new);

    private PartDetectors() {}

    public static PartDetector forStep(Step step) {
        Supplier<PartDetector> s = DETECTORS.get(step.id());
        return s == null ? new GenericParts(step) : s.get();
    }

    public static boolean hasOwn(String stepId) {
        return DETECTORS.containsKey(stepId);
    }
}
