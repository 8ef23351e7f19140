package dev.tinyvllm.tutor;

import java.util.List;

/**
 * What the LLM tutor's tools may touch: the student's checks, the student's files, and the step's
 * guide. Nothing here can reach the reference solution or the oracles: they are not in the
 * workspace, and no method reads the tutor's bundled sources.
 */
public interface Workbench {

    /** Runs the step's checks on the student's code; the report as text. */
    String runCheck(String stepId) throws InterruptedException;

    /** The student's files, relative to the workspace. */
    List<String> listFiles();

    /** One of the student's files; refuses anything outside the workspace or inside .tutor/. */
    String readFile(String path);

    /** The current step's guide for the tutor. */
    String stepGuide();

    /** The questions of a diagnosis tag, in ladder order. */
    String tagQuestions(String tag);
}
