package dev.tinyvllm.curriculum;

/**
 * One function the student writes for a step.
 *
 * @param name the public static method's name
 * @param firstPart the guide's part a student starts with for this function
 */
public record StepFunction(String name, String firstPart) {}
