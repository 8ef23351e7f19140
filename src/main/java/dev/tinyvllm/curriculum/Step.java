package dev.tinyvllm.curriculum;

import java.util.List;

/**
 * A step's metadata, from {@code curriculum/<id>/step.json}: the single source the checker, the
 * workspace and the tutor read shapes, names and tolerances from.
 *
 * @param id the step id, also its folder under curriculum/, prompts/steps/ and reference-solutions/
 * @param className the student class the graders call
 * @param sourceDir the workspace folder compiled for this step
 * @param files the skeleton files, relative to the workspace root; the reference has the same paths
 * @param tolerance the value tolerance on CPU
 * @param cudaTolerance the value tolerance of checks that run in reduced precision on CUDA
 * @param timeoutSeconds the default wall-clock limit of one check
 * @param requires ids of earlier steps whose student code this step's code calls: their source folders
 *     are compiled along with this one (and, for {@code --reference}, their reference solutions)
 * @param checks the class of the step's checks, from its catalog line (not from step.json)
 * @param parts the class of the step's part detector, from its catalog line; null when it has none
 */
public record Step(
        String id,
        String title,
        int week,
        String className,
        String sourceDir,
        List<String> files,
        List<StepFunction> functions,
        Tolerance tolerance,
        Tolerance cudaTolerance,
        int timeoutSeconds,
        List<String> requires,
        String checks,
        String parts) {

    public Step {
        requires = requires == null ? List.of() : List.copyOf(requires);
    }

    /** This step with the classes its catalog line names. */
    Step withClasses(String checksClass, String partsClass) {
        return new Step(id, title, week, className, sourceDir, files, functions, tolerance, cudaTolerance,
                timeoutSeconds, requires, checksClass, partsClass);
    }

    public String readmeResource() {
        return "curriculum/" + id + "/README.md";
    }

    public String skeletonResource(String file) {
        return "curriculum/" + id + "/" + file;
    }

    public String referenceResource(String file) {
        return "reference-solutions/" + id + "/" + file;
    }

    public String guideResource() {
        return "prompts/steps/" + id + ".md";
    }

    /** Where the step's README goes in a workspace. */
    public String workspaceReadme() {
        return "steps/" + id + "/README.md";
    }

    public StepFunction function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(id + " has no function " + name));
    }
}
