package dev.tinyvllm.check.judge;

import dev.tinyvllm.check.GradingUnavailableException;
import dev.tinyvllm.check.SandboxMode;
import dev.tinyvllm.host.HostMain;
import dev.tinyvllm.host.wire.Message;
import dev.tinyvllm.host.wire.Wire;
import dev.tinyvllm.host.wire.WireException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One student JVM, started in its sandbox: the only process where student code runs. The judge talks to
 * it over a socket it alone listens on (accepting one connection, made before any student class
 * loads), reads what it prints into a capped console, watches its memory and its clock, and ends it
 * with every process it started.
 */
public final class StudentJvm implements StudentLink {

    /** What a student JVM is started with. */
    /**
     * What a student JVM is started with.
     *
     * @param warmFusedKernels whether to compile the student API's fused kernels while it waits for its check
     *     (the step's code calls them; a spare does it before its check begins)
     */
    public record Options(SandboxMode sandbox, List<Path> classDirs, long memoryLimitBytes, List<Path> secrets,
            boolean warmFusedKernels) {}

    private static final long START_TIMEOUT_MS = 180_000; // the first start ever unpacks libtorch
    private static final int REPLY_LIMIT = 64 << 20;
    private static final long POLL_MS = 50;
    private static final Object END = new Object();

    private final Options options;
    private final Process process;
    private final Path runDir;
    private final Path inputs;
    private final int uid;
    private final Console console = new Console();
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final CompletableFuture<SocketChannel> connection = new CompletableFuture<>();
    private final ServerSocketChannel server;
    /** The secret the JVM got on its stdin and must say first: a connection without it is someone else's. */
    private final String token;
    /** In user mode, the copies of the compiled classes its user can read; else null. */
    private final UserModeFiles userFiles;
    private OutputStream out;
    private volatile long deadline = Long.MAX_VALUE;
    private long jvmStartMs = -1;
    private long libtorchMs = -1;
    private final long startedAt = System.nanoTime();
    private boolean closed;

    private StudentJvm(Options options, Process process, Path runDir, Path inputs, int uid, ServerSocketChannel server,
            UserModeFiles userFiles, String token) {
        this.options = options;
        this.token = token;
        this.userFiles = userFiles;
        this.process = process;
        this.runDir = runDir;
        this.inputs = inputs;
        this.uid = uid;
        this.server = server;
        Thread accept = new Thread(this::accept, "student-jvm-accept");
        accept.setDaemon(true);
        accept.start();
        console.read(process.getInputStream(), "student-jvm-stdout");
        console.read(process.getErrorStream(), "student-jvm-stderr");
    }

    /** Starts a student JVM; it loads libtorch while the caller does other work. */
    public static StudentJvm start(Options options) {
        Path runDir = null;
        try {
            runDir = Files.createTempDirectory("tutor-student-");
            int uid = options.sandbox() == SandboxMode.USER ? UserModeFiles.freeUid() : -1;
            Path inputs = Files.createDirectories(runDir.resolve("inputs"));
            Path socket = runDir.resolve("judge.sock");
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            StudentJvmFiles files = StudentJvmFiles.get();
            List<Path> classPath = files.classPath();
            List<Path> classDirs = options.classDirs();
            List<Path> caches = files.nativeCaches();
            UserModeFiles shared = null;
            if (options.sandbox() == SandboxMode.USER) {
                shared = UserModeFiles.prepare(files, runDir, uid);
                classPath = shared.classPath();
                caches = shared.nativeCaches();
                classDirs = shared.classCopies(classDirs.size());
                shared.allowAccess(runDir, inputs, socket);
            }
            List<String> java = javaCommand(files.javaHome(), classPath, caches, socket, options.warmFusedKernels());
            List<Path> readOnly = new ArrayList<>(classPath);
            readOnly.add(files.javaHome());
            readOnly.addAll(caches);
            readOnly.add(runDir);
            readOnly.addAll(classDirs);
            List<String> command = Sandbox.command(options.sandbox(), java, readOnly, options.secrets(), uid);
            ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile());
            // Nothing of the tutor's environment (an API key, say) reaches the student's code, in any mode.
            builder.environment().clear();
            builder.environment().put("PATH", "/usr/bin:/bin");
            builder.environment().put("LANG", "C.UTF-8");
            builder.environment().put("HOME", runDir.toString());
            Process process = launch(builder);
            String token = HexFormat.of().formatHex(secureRandomBytes());
            try (var stdin = process.getOutputStream()) {
                stdin.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // The JVM died at once; awaitReady reports it.
            }
            return new StudentJvm(options, process, runDir, inputs, uid, server, shared, token);
        } catch (IOException e) {
            if (runDir != null) {
                deleteTree(runDir);
            }
            throw new GradingUnavailableException("cannot start the student JVM: " + e.getMessage());
        }
    }

    /**
     * Every student JVM is started from this one thread, which never ends: bubblewrap's --die-with-parent
     * (the kernel's parent-death signal) fires when the *thread* that started the process ends, and a
     * spare started from a pool thread or a daemon's connection thread would be killed with it.
     */
    private static final java.util.concurrent.ExecutorService LAUNCHER =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "student-jvm-launcher");
                t.setDaemon(true);
                return t;
            });

    private static Process launch(ProcessBuilder builder) throws IOException {
        try {
            return LAUNCHER.submit(builder::start).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the student JVM");
        }
    }

    private static List<String> javaCommand(Path javaHome, List<Path> classPath, List<Path> caches, Path socket,
            boolean warmFusedKernels) {
        List<String> c = new ArrayList<>();
        c.add(javaHome.resolve("bin").resolve("java").toString());
        c.addAll(List.of("-Xmx1g", "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:-UsePerfData", "-Djava.awt.headless=true", "-Djava.io.tmpdir=/tmp", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
        if (!caches.isEmpty()) {
            c.add("-DDJL_CACHE_DIR=" + caches.get(0));
        }
        c.addAll(ClassDataArchive.flags(classPath));
        if (Runtime.version().feature() >= 22) {
            c.add("--enable-native-access=ALL-UNNAMED");
        }
        c.add("-cp");
        c.add(String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        c.add(HostMain.class.getName());
        c.add(socket.toString());
        if (warmFusedKernels) {
            c.add(HostMain.WARM_FUSED_KERNELS);
        }
        return c;
    }

    public SandboxMode sandbox() {
        return options.sandbox();
    }

    // ---------------------------------------------------------------- start-up

    /**
     * Takes connections until one says the JVM's secret first; any other is closed. The winner's frames
     * are read into the replies queue from then on, and the socket is removed.
     */
    private void accept() {
        try {
            while (!connection.isDone()) {
                SocketChannel candidate = server.accept();
                Thread t = new Thread(() -> admit(candidate), "student-jvm-hello");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            connection.completeExceptionally(e); // the server was closed: by the winner, or by close()
        }
    }

    private void admit(SocketChannel channel) {
        InputStream in = dev.tinyvllm.host.wire.ChannelStreams.in(channel);
        Message hello;
        try {
            byte[] frame = Wire.readFrame(in, 4096);
            hello = frame == null ? null : Message.decode(frame);
        } catch (IOException e) {
            hello = null;
        }
        if (!(hello instanceof Message.Hello h) || !token.equals(h.token()) || !connection.complete(channel)) {
            closeQuietly(channel);
            return;
        }
        replies.add(hello);
        try {
            Files.deleteIfExists(runDir.resolve("judge.sock"));
            server.close();
            while (true) {
                byte[] frame = Wire.readFrame(in, REPLY_LIMIT);
                if (frame == null) {
                    break;
                }
                replies.add(Message.decode(frame));
            }
        } catch (WireException e) {
            replies.add(new StudentJvmStopped(StudentJvmStopped.Reason.PROTOCOL,
                    "the student JVM sent something that is not an answer (" + e.getMessage() + ")"));
        } catch (IOException e) {
            // The channel closed: the JVM ended, or close() ended it.
        } finally {
            replies.add(END);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    private static byte[] secureRandomBytes() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /**
     * Waits until the JVM has connected and loaded libtorch, then hands it the compiled classes.
     *
     * @throws GradingUnavailableException when it cannot start: the tutor's problem, not the student's
     */
    public void awaitReady(List<Path> classDirs) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        try {
            SocketChannel channel = connection.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            out = dev.tinyvllm.host.wire.ChannelStreams.out(channel);
            Message hello = next(end);
            if (!(hello instanceof Message.Hello h) || h.protocol() != Message.PROTOCOL) {
                throw new GradingUnavailableException("the student JVM speaks another protocol: " + hello);
            }
            jvmStartMs = h.uptimeMs();
            Message ready = next(end);
            if (ready instanceof Message.Broken b) {
                throw new GradingUnavailableException("the student JVM cannot work: " + b.why());
            }
            if (!(ready instanceof Message.Ready r)) {
                throw new GradingUnavailableException("the student JVM said " + ready + " instead of ready");
            }
            libtorchMs = r.libtorchMs();
        } catch (java.util.concurrent.TimeoutException e) {
            close();
            throw new GradingUnavailableException("the student JVM did not start within " + START_TIMEOUT_MS / 1000
                    + " s" + lastWords());
        } catch (java.util.concurrent.ExecutionException | StudentJvmStopped e) {
            close();
            throw new GradingUnavailableException("the student JVM ended before it was ready" + lastWords());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new GradingUnavailableException("interrupted while the student JVM started");
        }
        List<Path> visible = classDirs;
        if (userFiles != null) {
            try {
                visible = userFiles.copyClasses(classDirs);
            } catch (IOException e) {
                close();
                throw new GradingUnavailableException("cannot copy the compiled classes for the student's user: " + e);
            }
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Message loaded = exchange(new Message.Load(visible.stream().map(Path::toString).toList()));
        if (!(loaded instanceof Message.Loaded)) {
            close();
            throw new GradingUnavailableException("the student JVM could not take the classes: " + loaded);
        }
    }

    private Message next(long end) throws InterruptedException {
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new StudentJvmStopped(StudentJvmStopped.Reason.TIMEOUT, "no answer in time");
            }
            Object item = replies.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)), TimeUnit.NANOSECONDS);
            if (item == END) {
                replies.add(END);
                throw new StudentJvmStopped(StudentJvmStopped.Reason.CRASH, "ended");
            }
            if (item instanceof StudentJvmStopped s) {
                throw s;
            }
            if (item != null) {
                return (Message) item;
            }
        }
    }

    /** How long the JVM took from its start to its main method, and to load libtorch. */
    public long jvmStartMs() {
        return jvmStartMs;
    }

    public long libtorchMs() {
        return libtorchMs;
    }

    /** When it was started (System.nanoTime): a spare is started long before its check. */
    public long startedAt() {
        return startedAt;
    }

    // ---------------------------------------------------------------- the conversation

    @Override
    public void deadline(long nanos) {
        deadline = nanos;
    }

    @Override
    public Path inputs() {
        return inputs;
    }

    @Override
    public String console() {
        return console.take();
    }

    @Override
    public synchronized Message exchange(Message request) {
        if (closed || out == null) {
            throw new StudentJvmStopped(StudentJvmStopped.Reason.CRASH, "the student JVM is not running");
        }
        try {
            Wire.writeFrame(out, request.encode());
        } catch (IOException e) {
            // The JVM is gone; the replies queue says how.
        }
        try {
            while (true) {
                long now = System.nanoTime();
                if (now > deadline) {
                    close();
                    throw new StudentJvmStopped(StudentJvmStopped.Reason.TIMEOUT, "timeout");
                }
                Object item = replies.poll(Math.min(deadline - now, TimeUnit.MILLISECONDS.toNanos(POLL_MS)),
                        TimeUnit.NANOSECONDS);
                if (item == null) {
                    long rss = residentBytes();
                    if (rss > options.memoryLimitBytes()) {
                        close();
                        throw new StudentJvmStopped(StudentJvmStopped.Reason.MEMORY, String.format(Locale.ROOT,
                                "used %d MiB of memory, over the limit of %d MiB", rss >> 20,
                                options.memoryLimitBytes() >> 20));
                    }
                    continue;
                }
                if (item instanceof Message.Exiting) {
                    Integer code = exitCode();
                    close();
                    throw new StudentJvmStopped(StudentJvmStopped.Reason.EXIT, "called System.exit(" + code + ")");
                }
                if (item == END) {
                    replies.add(END);
                    Integer code = exitCode();
                    close();
                    throw new StudentJvmStopped(StudentJvmStopped.Reason.CRASH, "ended (exit code " + code + ")"
                            + lastWords());
                }
                if (item instanceof StudentJvmStopped stopped) {
                    close();
                    throw stopped;
                }
                return (Message) item;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new StudentJvmStopped(StudentJvmStopped.Reason.CRASH, "stopped: the check was cancelled");
        }
    }

    private Integer exitCode() throws InterruptedException {
        return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : null;
    }

    /** The resident memory of the JVM and every process it started, where the OS tells it (Linux). */
    private long residentBytes() {
        long total = rss(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            total += rss(child.pid());
        }
        return total;
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException | UncheckedIOException e) {
            // Not Linux, or the process just ended.
        }
        return 0;
    }

    private String lastWords() {
        String tail = console.tail();
        if (tail.isEmpty()) {
            return "";
        }
        String[] lines = tail.split("\n");
        int from = Math.max(0, lines.length - 6);
        return "; its last words: " + String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    // ---------------------------------------------------------------- the end

    /**
     * Ends the JVM and everything it started: the sandbox's process space with it (bubblewrap, or the
     * user mode's namespaces), else its process group and every descendant, else every process of its
     * user.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        CPU_OF_ENDED.addAndGet(cpuNanos(process.pid()) + tree.stream().mapToLong(p -> cpuNanos(p.pid())).sum());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        if (options.sandbox() == SandboxMode.NONE) {
            killGroup(process.pid());
        }
        if (uid >= 0) {
            UserModeFiles.killAll(uid);
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.close();
        } catch (IOException e) {
            // Already closed after the one connection.
        }
        connection.thenAccept(c -> {
            try {
                c.close();
            } catch (IOException e) {
                // Gone already.
            }
        });
        deleteTree(runDir);
    }

    /**
     * The CPU time every student JVM this process ended had used, with everything it started, read by the
     * judge just before ending them (so a benchmark can count what checks cost, spares included).
     */
    public static long cpuNanosOfEnded() {
        return CPU_OF_ENDED.get();
    }

    private static final java.util.concurrent.atomic.AtomicLong CPU_OF_ENDED = new java.util.concurrent.atomic.AtomicLong();

    /** utime + stime of a process from /proc (Linux's clock ticks are 1/100 s). */
    private static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Whether the JVM is still running (a spare, say). */
    public boolean alive() {
        return !closed && process.isAlive();
    }

    private static void killGroup(long pid) {
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // No such group (no setsid): the descendants were ended one by one.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary folder left behind is harmless.
        }
    }

    static void makeReadableByAll(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }
}
