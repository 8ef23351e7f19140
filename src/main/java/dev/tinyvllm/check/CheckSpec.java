package dev.tinyvllm.check;

/**
 * A check as the checker plans it, before anything runs.
 *
 * @param id stable id, {@code <function in snake_case>.<case>}, used in every report format
 * @param function the student method it calls
 * @param description what it verifies, in a few words
 */
public record CheckSpec(String id, String function, String description) {}
