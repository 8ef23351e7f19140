package dev.tinyvllm.curriculum.source;

import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepFunction;
import java.util.List;

/**
 * For a step without its own detector: a function is at its first part (step.json's
 * {@code firstPart}) until it no longer throws the skeleton's exception; after that the checks say
 * where it stands.
 */
final class GenericParts implements PartDetector {

    private final Step step;

    GenericParts(Step step) {
        this.step = step;
    }

    @Override
    public List<String> partsOf(String function) {
        return step.functions().stream().filter(f -> f.name().equals(function)).map(StepFunction::firstPart).toList();
    }

    @Override
    public boolean has(String part, FunctionCode code) {
        return !code.inlined().isBlank();
    }
}
