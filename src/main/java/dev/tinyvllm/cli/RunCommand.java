package dev.tinyvllm.cli;

import dev.tinyvllm.check.StudentModelRun;
import dev.tinyvllm.curriculum.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tutor run week1 --model DIR --prompt TEXT}: the student's own model answers, streamed. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Run your own code end to end on a Hugging Face model folder and stream its answer.",
    "week1: your Qwen2Model (week1/qwen2-model) and your Generator.chat (week1/generate), greedy, no cache."})
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WEEK", description = "Whose code to run: week1.")
    String week;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR",
            description = "A Qwen2 model folder: config.json, *.safetensors, tokenizer.json (e.g. Qwen2-0.5B-Instruct).")
    Path model;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT", description = "The user's message.")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "128",
            description = "The most tokens the answer may have (default 128).")
    int maxTokens;

    @Option(names = "--reference", description = "Run the course's reference solution instead of your code.")
    boolean reference;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads libtorch may use (default: its own choice, about one per core).")
    Integer threads;

    @Mixin
    WorkspaceOption workspace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!week.equals("week1")) {
            throw new IllegalArgumentException("tutor run knows week1 only (your week-1 model and generation), not " + week);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("--max-tokens must be at least 1");
        }
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1");
            }
            // DJL reads it when libtorch starts; in a fresh `tutor run` that is still to come.
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> text = piece -> {
            out.print(piece);
            out.flush();
        };
        Consumer<String> status = line -> err.println("tutor: " + line);
        StudentModelRun.Result result;
        try {
            if (reference) {
                result = StudentModelRun.week1Reference(model, prompt, maxTokens, text, status);
            } else {
                Workspace ws = workspace.require();
                result = StudentModelRun.week1(ws.root(), ws.stateDir().resolve("build").resolve("run-week1"), model,
                        prompt, maxTokens, text, status);
            }
        } catch (StudentModelRun.StudentCodeFailure failure) {
            out.println();
            out.flush();
            err.println("tutor: " + failure.getMessage());
            return ExitCodes.NOT_PASSED;
        }
        out.println();
        out.flush();
        double seconds = result.generateMillis() / 1000.0;
        err.println(String.format(Locale.ROOT, "tutor: %d calls to your model in %.1f s (%.2f per second); "
                + "loading took %.1f s", result.modelCalls(), seconds,
                seconds > 0 ? result.modelCalls() / seconds : 0.0, result.loadMillis() / 1000.0));
        return ExitCodes.OK;
    }
}
