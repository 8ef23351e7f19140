package dev.tinyvllm.cli;

import dev.tinyvllm.tutor.shell.ShellLauncher;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tutor shell} (and plain {@code tutor}): the tutoring session. */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "Talk with the tutor about your code: it reads your files and check results and answers with questions.",
    "Offline (no model, no network) unless an OpenAI-compatible endpoint is configured."},
        footer = {"",
            "An endpoint is configured by the flags above, by TUTOR_BASE_URL, TUTOR_MODEL and OPENAI_API_KEY, or by",
            "base-url, model, api-key, timeout-seconds and stream in the workspace's .tutor/config.properties or in",
            "~/.config/tiny-vllm-tutor/config.properties (in that order of precedence).",
            "Commands inside: /check [step], /hint, /step [id], /status, /files, /help, /quit."})
public final class ShellCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOption workspace;

    @Mixin
    TutorOptions options;

    @Override
    public Integer call() throws IOException {
        return open(workspace, options);
    }

    static int open(WorkspaceOption workspace, TutorOptions options) throws IOException {
        try (Terminal terminal = ShellLauncher.systemTerminal()) {
            ShellLauncher.run(new ShellLauncher.Request(workspace.start(), options.step, options.flags()),
                    ShellLauncher.Environment.system(), terminal, true);
        }
        return ExitCodes.OK;
    }
}
