package dev.tinyvllm.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
        })
public final class TutorCommand implements Callable<Integer> {

    /** The subcommands, in the order help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("shell", ShellCommand::new);
        SUBCOMMANDS.put("steps", StepsCommand::new);
        SUBCOMMANDS.put("init", InitCommand::new);
        SUBCOMMANDS.put("check", CheckCommand::new);
        SUBCOMMANDS.put("run", RunCommand::new);
        SUBCOMMANDS.put("review", ReviewCommand::new);
        SUBCOMMANDS.put("engine", EngineCommand::new);
        SUBCOMMANDS.put("daemon", DaemonCommand::new);
        SUBCOMMANDS.put("autograder", AutograderCommand::new);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /**
     * The command line for these arguments. Building picocli's model of every command took a cold JVM
     * about 200 ms (a third of a warm `tutor check`), so a run that names its subcommand gets only that
     * one; anything else (help, the shell, a typo) gets them all.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new TutorCommand());
        Supplier<Object> named = args.length == 0 ? null : SUBCOMMANDS.get(args[0]);
        if (named != null && !args[0].equals("help")) {
            cli.addSubcommand(args[0], named.get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        return cli;
    }

    @Mixin
    WorkspaceOption workspace;

    @Mixin
    TutorOptions options;

    @Override
    public Integer call() throws IOException {
        return ShellCommand.open(workspace, options);
    }
}
