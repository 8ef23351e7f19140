package dev.tinyvllm.review;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The overlap measure of each step against its bundled reference solution, built once per step. A
 * step the tutor does not bundle (planned, or from another course) has no measure, and the review
 * says it could not check overlap there.
 */
public final class ReferenceSolutions implements Function<String, Optional<ReferenceOverlap>> {

    private final Catalog catalog;
    private final Map<String, Optional<ReferenceOverlap>> cache = new ConcurrentHashMap<>();

    public ReferenceSolutions(Catalog catalog) {
        this.catalog = catalog;
    }

    public static ReferenceSolutions bundled() {
        return new ReferenceSolutions(Catalog.load());
    }

    @Override
    public Optional<ReferenceOverlap> apply(String stepId) {
        if (stepId == null) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(stepId, this::load);
    }

    /** Step ids in course order, for sorting; unknown steps sort after the known ones. */
    public List<String> courseOrder() {
        return catalog.entries().stream().map(Catalog.Entry::id).toList();
    }

    private Optional<ReferenceOverlap> load(String stepId) {
        Optional<Step> step = catalog.step(stepId);
        if (step.isEmpty()) {
            return Optional.empty();
        }
        List<String> reference = new ArrayList<>();
        List<String> skeleton = new ArrayList<>();
        for (String file : step.get().files()) {
            Resources.text(step.get().referenceResource(file)).ifPresent(reference::add);
            Resources.text(step.get().skeletonResource(file)).ifPresent(skeleton::add);
        }
        return reference.isEmpty() ? Optional.empty() : Optional.of(ReferenceOverlap.of(reference, skeleton));
    }
}
