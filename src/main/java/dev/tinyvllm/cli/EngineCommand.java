package dev.tinyvllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tutor engine}: the course's reference tiny-vLLM engine. */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = {"Run, benchmark or serve the reference tiny-vLLM engine (Qwen2 models).",
            "The launcher adds --add-modules jdk.incubator.vector for these commands; without it the kernels run in scalar Java."},
        subcommands = {EngineGenerateCommand.class, EngineBenchCommand.class, EngineServeCommand.class,
            CommandLine.HelpCommand.class})
public final class EngineCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
