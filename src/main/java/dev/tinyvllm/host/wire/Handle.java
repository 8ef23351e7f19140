package dev.tinyvllm.host.wire;

/**
 * An object that stays in the student JVM (a layer, a model, a recorder), named by a number the judge
 * passes back to call it.
 *
 * @param type the object's class name, for messages
 */
public record Handle(int id, String type) {}
