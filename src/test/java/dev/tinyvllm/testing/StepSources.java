package dev.tinyvllm.testing;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Step;
import java.util.LinkedHashMap;
import java.util.Map;

/** The bundled reference and skeleton sources of any step, and textual mutations of a reference file. */
public final class StepSources {

    private StepSources() {}

    public static Step step(String stepId) {
        return Catalog.load().requireStep(stepId);
    }

    public static String reference(String stepId, String file) {
        return Resources.requireText(step(stepId).referenceResource(file));
    }

    public static String skeleton(String stepId, String file) {
        return Resources.requireText(step(stepId).skeletonResource(file));
    }

    /**
     * Every file of the step and of the steps it builds on, earlier steps first: its reference, or the
     * source {@code overrides} gives for it.
     */
    public static Map<String, String> solution(String stepId, Map<String, String> overrides) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Step part : Catalog.load().withRequirements(step(stepId))) {
            for (String file : part.files()) {
                files.put(file, overrides.containsKey(file) ? overrides.get(file)
                        : Resources.requireText(part.referenceResource(file)));
            }
        }
        return files;
    }

    /** The reference file with each {@code from} replaced by the following {@code to}; every {@code from} must occur. */
    public static String referenceWith(String stepId, String file, String... fromTo) {
        return edited(stepId + " " + file, reference(stepId, file), fromTo);
    }

    /**
     * {@code source} with each {@code from} replaced by the following {@code to}; every {@code from} must occur.
     *
     * @param what names the source in the error when a {@code from} is missing
     */
    static String edited(String what, String source, String... fromTo) {
        for (int i = 0; i < fromTo.length; i += 2) {
            if (!source.contains(fromTo[i])) {
                throw new IllegalArgumentException(what + " has no `" + fromTo[i] + "` to mutate");
            }
            source = source.replace(fromTo[i], fromTo[i + 1]);
        }
        return source;
    }
}
