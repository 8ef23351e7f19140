package dev.tinyvllm.check.judge;

import dev.tinyvllm.check.GradingUnavailableException;
import dev.tinyvllm.check.SandboxMode;
import dev.tinyvllm.host.HostMain;
import dev.tinyvllm.host.wire.Message;
import dev.tinyvllm.host.wire.Wire;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;

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
    private static final long POLL_MS = 50;

    private final Options options;
    private final Process process;
    private final Path runDir;
    private final Path inputs;
    private final int uid;
    private final Console console = new Console();
    private final JudgeSocket socket;
    private final BlockingQueue<Object> replies;
    /** In user mode, the copies of the compiled classes its user can read; else null. */
    private final UserModeFiles userFiles;
    private OutputStream out;
    private volatile long deadline = Long.MAX_VALUE;
    private long jvmStartMs = -1;
    private long libtorchMs = -1;
    private final long startedAt = System.nanoTime();
    private boolean closed;

    private StudentJvm(Options options, Process process, Path runDir, Path inputs, int uid, JudgeSocket socket,
            UserModeFiles userFiles) {
        this.options = options;
        this.userFiles = userFiles;
        this.process = process;
        this.runDir = runDir;
        this.inputs = inputs;
        this.uid = uid;
        this.socket = socket;
        this.replies = socket.replies();
        socket.listen();
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
            JudgeSocket socket = new JudgeSocket(runDir.resolve("judge.sock"));
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
                shared.allowAccess(runDir, inputs, socket.path());
            }
            List<String> java = javaCommand(files.javaHome(), classPath, caches, socket.path(), options.warmFusedKernels());
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
            Process process = ProcessTree.launch(builder);
            try (var stdin = process.getOutputStream()) {
                stdin.write((socket.token() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // The JVM died at once; awaitReady reports it.
            }
            return new StudentJvm(options, process, runDir, inputs, uid, socket, shared);
        } catch (IOException e) {
            if (runDir != null) {
                ProcessTree.deleteTree(runDir);
            }
            throw new GradingUnavailableException("cannot start the student JVM: " + e.getMessage());
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
     * Waits until the JVM has connected and loaded libtorch, then hands it the compiled classes.
     *
     * @throws GradingUnavailableException when it cannot start: the tutor's problem, not the student's
     */
    public void awaitReady(List<Path> classDirs) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        try {
            SocketChannel channel = socket.awaitConnection(START_TIMEOUT_MS);
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
            if (item == JudgeSocket.END) {
                replies.add(JudgeSocket.END);
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
                    long rss = ProcessTree.residentBytes(process);
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
                if (item == JudgeSocket.END) {
                    replies.add(JudgeSocket.END);
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
        tree.add(process.toHandle());
        CPU_OF_ENDED.addAndGet(ProcessTree.cpuNanos(tree));
        tree.forEach(ProcessHandle::destroyForcibly);
        if (options.sandbox() == SandboxMode.NONE) {
            ProcessTree.killGroup(process.pid());
        }
        if (uid >= 0) {
            UserModeFiles.killAll(uid);
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
        ProcessTree.deleteTree(runDir);
    }

    /**
     * The CPU time every student JVM this process ended had used, with everything it started, read by the
     * judge just before ending them (so a benchmark can count what checks cost, spares included).
     */
    public static long cpuNanosOfEnded() {
        return CPU_OF_ENDED.get();
    }

    private static final AtomicLong CPU_OF_ENDED = new AtomicLong();

    /** Whether the JVM is still running (a spare, say). */
    public boolean alive() {
        return !closed && process.isAlive();
    }
}
