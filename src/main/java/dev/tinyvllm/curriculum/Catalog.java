package dev.tinyvllm.curriculum;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The course outline, {@code curriculum/catalog.json}: every step in order, with its title. A step is
 * available once its folder exists; the rest are listed as planned so the student sees the road ahead.
 */
public final class Catalog {

    /** An entry of the outline. */
    public record Entry(String id, String title, int week) {}

    private record CatalogFile(int schemaVersion, List<Entry> steps) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final List<Entry> entries;

    private Catalog(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Catalog load() {
        try {
            CatalogFile file = JSON.readValue(Resources.requireBytes("curriculum/catalog.json"), CatalogFile.class);
            return new Catalog(file.steps());
        } catch (IOException e) {
            throw new UncheckedIOException("curriculum/catalog.json is malformed", e);
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The step's metadata, when the step is available. */
    public Optional<Step> step(String id) {
        if (entries.stream().noneMatch(e -> e.id().equals(id))) {
            return Optional.empty();
        }
        return Resources.bytes("curriculum/" + id + "/step.json").map(bytes -> {
            try {
                return JSON.readValue(bytes, Step.class);
            } catch (IOException e) {
                throw new UncheckedIOException("curriculum/" + id + "/step.json is malformed", e);
            }
        });
    }

    public Step requireStep(String id) {
        return step(id).orElseThrow(() -> new IllegalArgumentException(unknownStepMessage(id)));
    }

    public List<Step> availableSteps() {
        return entries.stream().map(e -> step(e.id())).flatMap(Optional::stream).toList();
    }

    public boolean isAvailable(String id) {
        return step(id).isPresent();
    }

    /**
     * The steps whose code is compiled to check {@code step}: what it requires, transitively and each
     * once, each after its own requirements, and the step itself last.
     */
    public List<Step> withRequirements(Step step) {
        LinkedHashMap<String, Step> ordered = new LinkedHashMap<>();
        collect(step, ordered, new ArrayDeque<>());
        return List.copyOf(ordered.values());
    }

    private void collect(Step step, Map<String, Step> ordered, Deque<String> path) {
        if (ordered.containsKey(step.id())) {
            return;
        }
        if (path.contains(step.id())) {
            throw new IllegalStateException("steps require each other in a circle: " + String.join(" -> ", path)
                    + " -> " + step.id());
        }
        path.addLast(step.id());
        for (String id : step.requires()) {
            Step required = step(id).orElseThrow(() -> new IllegalStateException(
                    step.id() + " requires " + id + ", which is not an available step"));
            collect(required, ordered, path);
        }
        path.removeLast();
        ordered.put(step.id(), step);
    }

    private String unknownStepMessage(String id) {
        boolean listed = entries.stream().anyMatch(e -> e.id().equals(id));
        if (listed) {
            return "step " + id + " is planned but not available yet; `tutor steps` lists what is";
        }
        return "no step " + id + "; `tutor steps` lists the course (ids look like week1/attention)";
    }
}
