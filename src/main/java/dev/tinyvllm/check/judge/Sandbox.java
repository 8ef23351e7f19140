package dev.tinyvllm.check.judge;

import dev.tinyvllm.check.GradingUnavailableException;
import dev.tinyvllm.check.SandboxMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Wraps the student JVM's command in the isolation a {@link SandboxMode} asks for, and finds out which
 * modes this machine allows (by trying each once per process).
 */
public final class Sandbox {

    /** System folders the JVM needs, shown read-only (symlinks such as /lib -> usr/lib stay symlinks). */
    private static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
            "/libx32", "/etc");

    /**
     * Mounts an empty, unreadable tmpfs over each of the first N arguments (or /dev/null over a file),
     * then runs the rest: the user mode's stand-in for bubblewrap's masks.
     */
    private static final String MASK_THEN_EXEC = "n=$1; shift; while [ \"$n\" -gt 0 ]; do "
            + "if [ -d \"$1\" ]; then mount -t tmpfs -o size=4k,mode=000 tmpfs \"$1\" || exit 97; "
            + "else mount --bind /dev/null \"$1\" || exit 97; fi; shift; n=$((n-1)); done; exec \"$@\"";

    /** The most a student JVM's private /tmp may hold. */
    private static final long TMP_BYTES = 256L << 20;

    private static final Map<SandboxMode, String> UNAVAILABLE = new ConcurrentHashMap<>();
    private static final Map<SandboxMode, Boolean> CHECKED = new ConcurrentHashMap<>();
    private static volatile Boolean unshareWorks;

    private Sandbox() {}

    /**
     * The mode a run gets: AUTO becomes the strongest mode that works here; a mode asked for by name must
     * work, or grading stops with the reason.
     */
    public static SandboxMode resolve(SandboxMode requested) {
        if (requested != SandboxMode.AUTO) {
            String why = unavailable(requested);
            if (why != null) {
                throw new GradingUnavailableException("--sandbox " + requested.label() + " cannot be used here: " + why);
            }
            return requested;
        }
        for (SandboxMode mode : List.of(SandboxMode.BWRAP, SandboxMode.USER)) {
            if (unavailable(mode) == null) {
                return mode;
            }
        }
        return SandboxMode.NONE;
    }

    /** Why a mode cannot run here, or null when it can. */
    public static String unavailable(SandboxMode mode) {
        if (mode == SandboxMode.NONE || mode == SandboxMode.AUTO) {
            return null;
        }
        if (!CHECKED.containsKey(mode)) {
            synchronized (Sandbox.class) {
                if (!CHECKED.containsKey(mode)) {
                    String why = mode == SandboxMode.BWRAP ? tryBwrap() : tryUser();
                    if (why != null) {
                        UNAVAILABLE.put(mode, why);
                    }
                    CHECKED.put(mode, true);
                }
            }
        }
        return UNAVAILABLE.get(mode);
    }

    /**
     * The whole command for a student JVM.
     *
     * @param java the JVM's own command line
     * @param readOnly files and folders the JVM reads (class path, JDK, native libraries, classes, inputs)
     * @param secrets paths that must stay hidden even where they lie inside a folder the JVM sees
     * @param uid the user a USER-mode JVM runs as
     */
    static List<String> command(SandboxMode mode, List<String> java, List<Path> readOnly, List<Path> secrets, int uid) {
        return switch (mode) {
            case BWRAP -> bwrap(java, readOnly, secrets);
            case USER -> user(java, uid, secrets);
            case NONE, AUTO -> setsid(java);
        };
    }

    private static List<String> bwrap(List<String> java, List<Path> readOnly, List<Path> secrets) {
        List<String> c = new ArrayList<>(List.of("bwrap", "--unshare-all", "--die-with-parent", "--new-session",
                "--cap-drop", "ALL"));
        List<Path> shown = new ArrayList<>();
        for (String dir : SYSTEM) {
            Path p = Path.of(dir);
            if (Files.isSymbolicLink(p)) {
                try {
                    c.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), dir));
                } catch (IOException e) {
                    // An unreadable link: leave it out.
                }
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                c.addAll(List.of("--ro-bind", dir, dir));
                shown.add(p);
            }
        }
        c.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", Long.toString(TMP_BYTES), "--tmpfs", "/tmp"));
        for (Path secret : secrets) {
            Path real = StudentJvmFiles.realPath(secret);
            if (shown.stream().anyMatch(real::startsWith)) {
                c.addAll(Files.isDirectory(real) ? List.of("--tmpfs", real.toString())
                        : List.of("--ro-bind", "/dev/null", real.toString()));
            }
        }
        for (Path p : readOnly) {
            Path real = StudentJvmFiles.realPath(p);
            if (shown.stream().noneMatch(real::startsWith) || secrets.stream().anyMatch(s -> real.startsWith(
                    StudentJvmFiles.realPath(s)))) {
                c.addAll(List.of("--ro-bind", real.toString(), real.toString()));
            }
        }
        c.addAll(List.of("--chdir", "/tmp", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME",
                "/tmp", "--setenv", "LANG", "C.UTF-8", "--"));
        c.addAll(java);
        return c;
    }

    /**
     * As an unprivileged user of its own, in new network and process namespaces when the kernel gives
     * them (then the whole process tree ends with its first process); the files it runs on must be
     * readable by that user, which {@link StudentJvm} sees to.
     */
    private static List<String> user(List<String> java, int uid, List<Path> secrets) {
        List<String> c = new ArrayList<>();
        if (unshareWorks()) {
            c.addAll(List.of("unshare", "--fork", "--pid", "--mount", "--mount-proc", "--kill-child", "--net", "--ipc",
                    "--uts"));
            // Still root in the new mount namespace: cover the tutor's and the workspace's files before
            // dropping to the student's user, so that even files every user may read are out of sight.
            List<String> masks = secrets.stream().map(StudentJvmFiles::realPath).filter(Files::exists)
                    .map(Path::toString).toList();
            c.addAll(List.of("/bin/sh", "-c", MASK_THEN_EXEC, "mask", Integer.toString(masks.size())));
            c.addAll(masks);
        }
        c.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--no-new-privs",
                "--inh-caps=-all", "--bounding-set=-all", "--", "env", "-i", "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
                "HOME=/nonexistent"));
        c.addAll(java);
        return c;
    }

    /** Its own session and process group, so that the group can be ended as a whole. */
    private static List<String> setsid(List<String> java) {
        List<String> c = new ArrayList<>();
        if (onPath("setsid")) {
            c.add("setsid");
        }
        c.addAll(java);
        return c;
    }

    /** Whether the user mode also gets its own network, process and mount namespaces on this machine. */
    public static boolean userModeHasNamespaces() {
        return unshareWorks();
    }

    private static String tryBwrap() {
        if (!onPath("bwrap")) {
            return "bubblewrap is not installed (Debian: apt-get install bubblewrap)";
        }
        return run(List.of("bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc",
                "--dev", "/dev", "true"), "bubblewrap is installed but cannot make a sandbox here");
    }

    private static String tryUser() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "only root can run the student's code as another user";
        }
        if (!onPath("setpriv")) {
            return "setpriv (util-linux) is missing";
        }
        return run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", "true"),
                "setpriv cannot change to another user here");
    }

    private static boolean unshareWorks() {
        if (unshareWorks == null) {
            unshareWorks = onPath("unshare") && run(List.of("unshare", "--fork", "--pid", "--mount", "--mount-proc",
                    "--kill-child", "--net", "--ipc", "--uts", "true"), "") == null;
        }
        return unshareWorks;
    }

    /** Runs a probe; null when it succeeds, else the reason with what it printed. */
    private static String run(List<String> command, String failure) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return failure + " (it did not answer within 10 s)";
            }
            String said = new String(p.getInputStream().readAllBytes()).strip();
            return p.exitValue() == 0 ? null : failure + (said.isEmpty() ? "" : ": " + said.lines().findFirst().orElse(""));
        } catch (IOException e) {
            return failure + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure + ": interrupted";
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
