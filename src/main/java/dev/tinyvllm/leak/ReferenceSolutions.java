package dev.tinyvllm.leak;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The overlap measure of each step against its bundled reference solution, less its bundled
 * skeletons, built once per step. A step the tutor does not bundle a reference for (planned, or from
 * another course) has no measure.
 */
public final class ReferenceSolutions {

    private final Catalog catalog;
    private final Map<String, Optional<ReferenceOverlap>> cache = new ConcurrentHashMap<>();

    public ReferenceSolutions(Catalog catalog) {
        this.catalog = catalog;
    }

    public static ReferenceSolutions bundled() {
        return new ReferenceSolutions(Catalog.load());
    }

    /** The measure of a step by its id; empty for a step without a bundled reference, an unknown step or null. */
    public Optional<ReferenceOverlap> forStep(String stepId) {
        if (stepId == null) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(stepId, id -> catalog.step(id).flatMap(ReferenceSolutions::load));
    }

    /** The measure of a step, read from the tutor's resources now. */
    public static Optional<ReferenceOverlap> load(Step step) {
        List<String> reference = new ArrayList<>();
        List<String> skeleton = new ArrayList<>();
        for (String file : step.files()) {
            Resources.text(step.referenceResource(file)).ifPresent(reference::add);
            Resources.text(step.skeletonResource(file)).ifPresent(skeleton::add);
        }
        return reference.isEmpty() ? Optional.empty() : Optional.of(ReferenceOverlap.of(reference, skeleton));
    }
}
