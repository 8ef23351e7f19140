package dev.tinyvllm.curriculum;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The course outline, {@code curriculum/catalog.json}: every step in order, with its title and the
 * classes that grade it and read its parts in a student's code. A step is available once its folder
 * exists; the rest are listed as planned so the student sees the road ahead.
 *
 * <p>Every {@code curriculum/catalog.json} on the class path is read, the tutor's own first, so a jar
 * of further steps (or a test's own step) joins the course by carrying its catalog and its folders.
 */
public final class Catalog {

    /**
     * An entry of the outline.
     *
     * @param checks the class implementing the step's checks ({@code dev.tinyvllm.check.StepChecks})
     * @param parts the class of its part detector, or null
     */
    public record Entry(String id, String title, int week, String checks, String parts) {}

    private record CatalogFile(int schemaVersion, List<Entry> steps) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final List<Entry> entries;

    private Catalog(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Catalog load() {
        List<Entry> entries = new ArrayList<>();
        for (byte[] bytes : Resources.all("curriculum/catalog.json")) {
            try {
                for (Entry e : JSON.readValue(bytes, CatalogFile.class).steps()) {
                    if (entries.stream().anyMatch(known -> known.id().equals(e.id()))) {
                        throw new IllegalStateException("two catalogs list the step " + e.id());
                    }
                    entries.add(e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("a curriculum/catalog.json is malformed", e);
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("no curriculum/catalog.json on the class path");
        }
        return new Catalog(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The step's metadata, when the step is available. */
    public Optional<Step> step(String id) {
        Optional<Entry> entry = entries.stream().filter(e -> e.id().equals(id)).findFirst();
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        return Resources.bytes("curriculum/" + id + "/step.json").map(bytes -> {
            try {
                return JSON.readValue(bytes, Step.class).withClasses(entry.get().checks(), entry.get().parts());
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
