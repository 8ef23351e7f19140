package dev.tinyvllm.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code tutor check} as a client of the check daemon: sends its command line (paths made absolute,
 * since the daemon runs elsewhere) and prints the daemon's answer, loading nothing but the JDK. The
 * daemon is started on first use; when it cannot be reached the command runs in this JVM instead.
 * {@code --no-daemon}, or {@code TUTOR_DAEMON=off}, keeps a command in this JVM.
 */
public final class DaemonClient {

    /** Options of {@code tutor check} that take a path. */
    private static final Set<String> PATH_OPTIONS = Set.of("-o", "--output", "-w", "--workspace");
    private static final Set<String> LOCAL_FLAGS = Set.of("--no-daemon", "-h", "--help", "-V", "--version");
    private static final long START_WAIT_MS = 120_000;

    private DaemonClient() {}

    /** Whether this command line goes to the daemon. */
    public static boolean handles(String[] args) {
        if (args.length == 0 || !args[0].equals("check") || "off".equalsIgnoreCase(System.getenv("TUTOR_DAEMON"))) {
            return false;
        }
        for (String a : args) {
            if (LOCAL_FLAGS.contains(a)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the command line in the daemon.
     *
     * @return the exit code, or -1 when no daemon could be reached (the caller then runs it itself)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> forwarded = absolutePaths(args);
        boolean color = System.console() != null && System.getenv("NO_COLOR") == null
                && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        DaemonFrames.Request request = new DaemonFrames.Request(DaemonFrames.RUN, forwarded, color);
        try {
            DaemonFrames.Answer answer = ask(request, true);
            out.print(answer.out());
            out.flush();
            err.print(answer.err());
            err.flush();
            return answer.exit();
        } catch (IOException e) {
            err.println("tutor: the check daemon could not be reached (" + e.getMessage() + "); checking in this process");
            return -1;
        }
    }

    /** Stops the daemon of this build, or says there is none. */
    public static String stop() {
        return simple(DaemonFrames.STOP);
    }

    public static String status() {
        return simple(DaemonFrames.STATUS);
    }

    private static String simple(int kind) {
        try {
            return ask(new DaemonFrames.Request(kind, List.of(), false), false).out();
        } catch (IOException e) {
            return "no check daemon runs for this build of the tutor\n";
        }
    }

    private static DaemonFrames.Answer ask(DaemonFrames.Request request, boolean startIfMissing) throws IOException {
        try (SocketChannel channel = open(DaemonPaths.socket(), startIfMissing)) {
            DataOutputStream out = new DataOutputStream(dev.tinyvllm.host.wire.ChannelStreams.out(channel));
            DaemonFrames.write(out, request);
            return DaemonFrames.readAnswer(new DataInputStream(
                    new java.io.BufferedInputStream(dev.tinyvllm.host.wire.ChannelStreams.in(channel))));
        }
    }

    private static SocketChannel open(Path socket, boolean startIfMissing) throws IOException {
        try {
            return connect(socket);
        } catch (IOException e) {
            if (!startIfMissing) {
                throw e;
            }
            start(socket);
            return awaitDaemon(socket);
        }
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static SocketChannel awaitDaemon(Path socket) throws IOException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_WAIT_MS);
        IOException last = null;
        while (System.nanoTime() < end) {
            try {
                return connect(socket);
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the daemon started");
                }
            }
        }
        throw new IOException("it did not start within " + START_WAIT_MS / 1000 + " s; see " + DaemonPaths.log()
                + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    /** Starts the daemon in its own session, so that the terminal's Ctrl-C and hang-up do not reach it. */
    private static void start(Path socket) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-XX:+UseSerialGC", "-Xss4m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1"));
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("tutor.")) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(absoluteClassPath());
        command.addAll(List.of("dev.tinyvllm.cli.Main", "daemon", "run", "--socket", socket.toString()));
        Path log = DaemonPaths.log();
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
    }

    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The arguments with every path made absolute, and this folder named as the workspace to start from. */
    static List<String> absolutePaths(String[] args) {
        List<String> out = new ArrayList<>();
        boolean workspace = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            String name = a.startsWith("-") && eq > 0 ? a.substring(0, eq) : a;
            workspace |= name.equals("-w") || name.equals("--workspace");
            if (PATH_OPTIONS.contains(name) && eq > 0) {
                out.add(name + "=" + Path.of(a.substring(eq + 1)).toAbsolutePath());
            } else if (PATH_OPTIONS.contains(a) && i + 1 < args.length) {
                out.add(a);
                out.add(Path.of(args[++i]).toAbsolutePath().toString());
            } else {
                out.add(a);
            }
        }
        if (!workspace) {
            out.add("--workspace");
            out.add(Path.of("").toAbsolutePath().toString());
        }
        return out;
    }
}
