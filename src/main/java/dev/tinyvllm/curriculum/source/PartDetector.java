package dev.tinyvllm.curriculum.source;

import java.util.List;

/**
 * Tells from a student's code which parts of a step's guide a function already has. One per step,
 * in Java, in the step's own package and named by its catalog line ({@link PartDetectors} finds it); a
 * step without one still works, with the coarser view of {@link GenericParts}.
 */
public interface PartDetector {

    /** The guide's part ids a function is built from, in the order the student meets them. */
    List<String> partsOf(String function);

    /**
     * Whether the function's code (its body with the helpers it calls written in, its class's
     * constructor, comments and strings removed) shows the part. Only the presence of the part, not
     * its correctness: the checks judge that. A detector reads the student's own names (parameters
     * by position, fields through what the constructor assigns), never the reference solution's.
     */
    boolean has(String part, FunctionCode code);
}
