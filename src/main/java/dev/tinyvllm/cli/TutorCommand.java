package dev.tinyvllm.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tutor}: the root command; on its own it opens the tutoring shell. */
@Command(
        name = "tutor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Learn LLM inference by building a tiny vLLM in Java.",
            "Grades your code against libtorch and answers with questions, never with the fix.",
            "Without a command it opens the tutor's shell (see `tutor shell --help`)."
        },
        subcommands = {ShellCommand.class, StepsCommand.class, InitCommand.class, CheckCommand.class,
            ReviewCommand.class, EngineCommand.class, CommandLine.HelpCommand.class})
public final class TutorCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOption workspace;

    @Mixin
    TutorOptions options;

    @Override
    public Integer call() throws IOException {
        return ShellCommand.open(workspace, options);
    }
}
