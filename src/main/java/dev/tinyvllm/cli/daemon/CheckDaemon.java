package dev.tinyvllm.cli.daemon;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.judge.StudentJvms;
import dev.tinyvllm.cli.Main;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The check daemon: a judge that stays warm between {@code tutor check} commands, as Gradle's daemon
 * does between builds. It keeps libtorch and the oracles loaded, the compiler warmed up, and a student
 * JVM ready for the next check of each workspace; each command line that reaches it runs exactly as it
 * would in the client's own JVM (the same code, the same output and exit code). It answers only its own
 * user, and ends after a while without work.
 */
public final class CheckDaemon {

    private final Path socket;
    private final long idleMillis;
    private final AtomicLong lastWork = new AtomicLong(System.currentTimeMillis());
    private volatile boolean stopping;

    private CheckDaemon(Path socket, long idleMillis) {
        this.socket = socket;
        this.idleMillis = idleMillis;
    }

    /** Serves until told to stop or idle for {@code idleMinutes}. */
    public static void serve(Path socket, long idleMinutes) throws IOException {
        new CheckDaemon(socket, TimeUnit.MINUTES.toMillis(idleMinutes)).run();
    }

    private void run() throws IOException {
        StudentJvms.shared().keepSpares(true);
        Files.deleteIfExists(socket);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread warm = new Thread(CheckDaemon::warmUp, "daemon-warm-up");
            warm.setDaemon(true);
            warm.start();
            ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "daemon-idle");
                t.setDaemon(true);
                return t;
            });
            idle.scheduleAtFixedRate(() -> {
                if (System.currentTimeMillis() - lastWork.get() > idleMillis) {
                    stop(server);
                }
            }, 1, 1, TimeUnit.MINUTES);
            while (!stopping) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    break; // closed by stop()
                }
                Thread t = new Thread(() -> answer(client, server), "daemon-client");
                t.setDaemon(true);
                t.start();
            }
        } finally {
            Files.deleteIfExists(socket);
            StudentJvms.shared().keepSpares(false);
        }
    }

    private void answer(SocketChannel client, ServerSocketChannel server) {
        try (client) {
            if (!sameUser(client)) {
                return;
            }
            DataInputStream in = new DataInputStream(dev.tinyvllm.host.wire.ChannelStreams.in(client));
            DataOutputStream out = new DataOutputStream(dev.tinyvllm.host.wire.ChannelStreams.out(client));
            DaemonFrames.Request request = DaemonFrames.readRequest(in);
            lastWork.set(System.currentTimeMillis());
            switch (request.kind()) {
                case DaemonFrames.STOP -> {
                    DaemonFrames.write(out, new DaemonFrames.Answer(0, "the check daemon stops\n", ""));
                    stop(server);
                }
                case DaemonFrames.STATUS -> DaemonFrames.write(out, new DaemonFrames.Answer(0, status(), ""));
                case DaemonFrames.RUN -> DaemonFrames.write(out, run(request, client, in));
                default -> DaemonFrames.write(out, new DaemonFrames.Answer(2, "", "tutor: unknown request\n"));
            }
            lastWork.set(System.currentTimeMillis());
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } catch (RuntimeException | Error e) {
            System.err.println("check daemon: a request failed: " + e);
            e.printStackTrace();
        }
    }

    /** Runs the command line; when the client goes away (Ctrl-C), the check is interrupted. */
    private DaemonFrames.Answer run(DaemonFrames.Request request, SocketChannel client, DataInputStream in) {
        Thread worker = Thread.currentThread();
        Thread watcher = new Thread(() -> {
            try {
                if (in.read() < 0 && !stopping) {
                    worker.interrupt();
                }
            } catch (IOException e) {
                worker.interrupt();
            }
        }, "daemon-client-watch");
        watcher.setDaemon(true);
        watcher.start();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(request.args());
        if (request.color()) {
            args.add("--color");
        }
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        // The watcher is left to end with the connection: interrupting a thread blocked on a channel closes
        // the channel, and the answer still has to go out on it.
        Thread.interrupted();
        return new DaemonFrames.Answer(exit, out.toString(), err.toString());
    }

    /** Who it is, and the CPU time it and the student JVMs it ended have used (what benchmarks read). */
    private String status() {
        long own = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
        return String.format(java.util.Locale.ROOT, "the check daemon runs: pid %d, socket %s%n"
                + "cpu: daemon %.3f s, ended student JVMs %.3f s%n", ProcessHandle.current().pid(), socket, own / 1e9,
                dev.tinyvllm.check.judge.StudentJvm.cpuNanosOfEnded() / 1e9);
    }

    private static boolean sameUser(SocketChannel client) {
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().getName().equals(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void stop(ServerSocketChannel server) {
        stopping = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing a closed server.
        }
    }

    /** Loads libtorch and warms the compiler before the first check needs them. */
    private static void warmUp() {
        try {
            Engine.getEngine("PyTorch");
            try (NDManager m = NDManager.newBaseManager()) {
                m.ones(new ai.djl.ndarray.types.Shape(2)).add(1).toFloatArray();
            }
            dev.tinyvllm.check.StudentCompiler.warmUp();
        } catch (RuntimeException | LinkageError e) {
            // The first check will report what is wrong.
        }
    }
}
