package dev.tinyvllm.tutor.llm;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.tinyvllm.tutor.Workbench;
import java.util.List;

/**
 * The LLM tutor's tools. Each one reads the student's side of things (their checks, their files)
 * or the tutor's guide for the step; none can return the reference solution or the oracles.
 */
public final class TutorTools {

    private final Workbench bench;

    public TutorTools(Workbench bench) {
        this.bench = bench;
    }

    @Tool(name = "run_check", value = "Compile the student's code for a step and run its checks against libtorch. "
            + "Returns the report: each check's status (PASS, FAIL, NOT_IMPLEMENTED, ERROR, SKIPPED with its reason), "
            + "where values differ, the diagnosis tags and the guide's question. Takes a few seconds.")
    public String runCheck(@P(value = "a step id such as week1/attention; leave empty for the current step",
            required = false) String step) throws InterruptedException {
        return bench.runCheck(step);
    }

    @Tool(name = "list_files", value = "List the files in the student's workspace (paths relative to it).")
    public String listFiles() {
        List<String> files = bench.listFiles();
        return files.isEmpty() ? "(no files: there is no workspace)" : String.join("\n", files);
    }

    @Tool(name = "read_file", value = "Read one of the student's files, with line numbers.")
    public String readFile(@P("the path relative to the workspace, as list_files prints it") String path) {
        return bench.readFile(path);
    }

    @Tool(name = "read_step_guide", value = "Read the current step's guide for the tutor: its parts, how to tell "
            + "from code which part the student is on, the questions per diagnosis tag and the reflection questions.")
    public String readStepGuide() {
        return bench.stepGuide();
    }

    @Tool(name = "tag_questions", value = "The guide's questions for one diagnosis tag (such as MASK_INVERTED) or "
            + "situation (such as TIMEOUT or COMPILE_ERROR), from the concept rung to the experiment rung.")
    public String tagQuestions(@P("the tag or situation name") String tag) {
        return bench.tagQuestions(tag);
    }
}
