package dev.tinyvllm.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tinyvllm.check.runner.Protocol;
import dev.tinyvllm.check.runner.RunnerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM that runs student code ({@link RunnerMain}). Its events arrive on a queue; the end
 * of its output arrives as an {@link #END} event, whatever the reason it ended.
 */
final class GradingJvm implements AutoCloseable {

    /** Marks the end of the child's output. */
    static final Protocol.Event END = Protocol.Event.of("end", null, null);

    private static final int STDERR_TAIL = 6000;

    private final Process process;
    /** Whether this JVM writes a class-data archive as it exits: it must then be let to exit on its own. */
    private final boolean writesArchive;
    private final BlockingQueue<Protocol.Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder stderrTail = new StringBuilder();

    private GradingJvm(Process process, boolean writesArchive) {
        this.process = process;
        this.writesArchive = writesArchive;
        Thread out = new Thread(() -> readEvents(process.getInputStream()), "grading-jvm-stdout");
        Thread err = new Thread(() -> readStderr(process.getErrorStream()), "grading-jvm-stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    static GradingJvm start(String stepId, long seed, Path workDir) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-Djava.awt.headless=true");
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.pytorch.num_threads=1");
        command.add("-Dai.djl.pytorch.num_interop_threads=1");
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        List<String> sharing = classDataSharing();
        command.addAll(sharing);
        command.add("-cp");
        command.add(absoluteClasspath());
        command.add(RunnerMain.class.getName());
        command.add(stepId);
        command.add(Long.toString(seed));
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            boolean writesArchive = sharing.stream().anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit")
                    || f.startsWith("-XX:+AutoCreateSharedArchive")) && !Files.isRegularFile(archivePath());
            return new GradingJvm(builder.start(), writesArchive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the grading JVM: " + e.getMessage(), e);
        }
    }

    /**
     * The launcher passes {@code tutor.cds.dir}: the grading JVM then keeps its own class-data archive
     * there, made by its first run, which takes a good part off every later start.
     */
    private static List<String> classDataSharing() {
        Path archive = archivePath();
        if (archive == null) {
            return List.of();
        }
        List<String> flags = new ArrayList<>(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        if (Runtime.version().feature() >= 19) {
            flags.add("-XX:+AutoCreateSharedArchive");
            flags.add("-XX:SharedArchiveFile=" + archive);
        } else if (Files.isRegularFile(archive)) {
            flags.add("-XX:SharedArchiveFile=" + archive);
        } else {
            flags.add("-XX:ArchiveClassesAtExit=" + archive);
        }
        return flags;
    }

    private static Path archivePath() {
        String dir = System.getProperty("tutor.cds.dir");
        return dir == null ? null : Path.of(dir, "grading-" + Runtime.version() + ".jsa");
    }

    // The child runs in another folder, so relative entries (java -jar target/tutor.jar) must be resolved here.
    private static String absoluteClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    void send(Protocol.Request request) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((Protocol.JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            // The child is gone; its END event tells the caller.
        }
    }

    /** The next event, or empty when none came within the wait. */
    Optional<Protocol.Event> poll(long millis) throws InterruptedException {
        return Optional.ofNullable(events.poll(millis, TimeUnit.MILLISECONDS));
    }

    /** The exit code once the process has ended (waits briefly for the OS to report it). */
    Integer exitCode() throws InterruptedException {
        return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : null;
    }

    /** Resident memory of the child in bytes, where the OS tells it (Linux). */
    long residentBytes() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process just ended.
        }
        return 0;
    }

    synchronized String stderrTail() {
        return stderrTail.toString().strip();
    }

    /**
     * Called once the child reported all its checks. Nothing is left to wait for, unless it is
     * writing its class-data archive on the way out (its first run only).
     */
    void finish() {
        try {
            if (!writesArchive || !process.waitFor(15, TimeUnit.SECONDS)) {
                close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readEvents(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(Protocol.PREFIX)) {
                    try {
                        events.add(Protocol.JSON.readValue(line.substring(Protocol.PREFIX.length()), Protocol.Event.class));
                    } catch (JsonProcessingException e) {
                        appendStderr("unreadable protocol line: " + line + "\n");
                    }
                }
            }
        } catch (IOException e) {
            // Stream closed: the child ended.
        } finally {
            events.add(END);
        }
    }

    private void readStderr(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                // SLF4J's "no provider" notice comes from DJL's logging, not from the student.
                if (!line.startsWith("SLF4J")) {
                    appendStderr(line + "\n");
                }
            }
        } catch (IOException e) {
            // Stream closed.
        }
    }

    private synchronized void appendStderr(String text) {
        stderrTail.append(text);
        if (stderrTail.length() > STDERR_TAIL) {
            stderrTail.delete(0, stderrTail.length() - STDERR_TAIL);
        }
    }
}
