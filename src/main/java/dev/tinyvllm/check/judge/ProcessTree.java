package dev.tinyvllm.check.judge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the judge reads and does to a student JVM's processes, and the files of its run, from outside. */
final class ProcessTree {

    /**
     * Every student JVM is started from this one thread, which never ends: bubblewrap's --die-with-parent
     * (the kernel's parent-death signal) fires when the *thread* that started the process ends, and a
     * spare started from a pool thread or a daemon's connection thread would be killed with it.
     */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "student-jvm-launcher");
        t.setDaemon(true);
        return t;
    });

    private ProcessTree() {}

    static Process launch(ProcessBuilder builder) throws IOException {
        try {
            return LAUNCHER.submit(builder::start).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the student JVM");
        }
    }

    /** The resident memory of the process and every process it started, where the OS tells it (Linux). */
    static long residentBytes(Process process) {
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

    /** The CPU time (user and system) the processes used, from /proc (Linux's clock ticks are 1/100 s). */
    static long cpuNanos(List<ProcessHandle> processes) {
        long total = 0;
        for (ProcessHandle p : processes) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
            } catch (IOException | RuntimeException e) {
                // Ended meanwhile.
            }
        }
        return total;
    }

    /** Ends the process group the process leads (it was started through setsid). */
    static void killGroup(long pid) {
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
