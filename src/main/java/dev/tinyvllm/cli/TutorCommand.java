package dev.tinyvllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tutor}: the root command. */
@Command(
        name = "tutor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Learn LLM inference by building a tiny vLLM in Java.",
            "Grades your code against libtorch and answers with questions, never with the fix."
        },
        subcommands = {StepsCommand.class, InitCommand.class, CheckCommand.class, EngineCommand.class,
            CommandLine.HelpCommand.class})
public final class TutorCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
