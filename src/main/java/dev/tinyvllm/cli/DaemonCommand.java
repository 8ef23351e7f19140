package dev.tinyvllm.cli;

import dev.tinyvllm.cli.daemon.CheckDaemon;
import dev.tinyvllm.cli.daemon.DaemonClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tutor daemon status|stop|run}: the background judge that keeps checks fast. */
@Command(name = "daemon", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "The check daemon keeps libtorch, the compiler and a student JVM warm between `tutor check` commands.",
    "`tutor check` starts it on first use; it ends by itself after 30 minutes without a check.",
    "status: whether it runs; stop: end it now; run: serve in this process (what `tutor check` starts)."})
public final class DaemonCommand implements Callable<Integer> {

    enum Action { STATUS, STOP, RUN }

    @Parameters(index = "0", paramLabel = "ACTION", description = "status, stop or run.")
    Action action;

    @Option(names = "--socket", paramLabel = "PATH", description = "The socket to serve on (run only).")
    Path socket;

    @Option(names = "--idle-minutes", paramLabel = "N", defaultValue = "30",
            description = "End after this many minutes without a check (run only; default ${DEFAULT-VALUE}).")
    long idleMinutes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        switch (action) {
            case STATUS -> spec.commandLine().getOut().print(DaemonClient.status());
            case STOP -> spec.commandLine().getOut().print(DaemonClient.stop());
            case RUN -> {
                if (socket == null) {
                    throw new IllegalArgumentException("daemon run needs --socket PATH");
                }
                CheckDaemon.serve(socket, idleMinutes);
            }
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
