package dev.tinyvllm.check.judge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * What a student JVM of {@code --sandbox user} needs, readable by its unprivileged user: root's own
 * folders (its home, its Maven repository, DJL's cache in it) are closed to other users, so the class
 * path and libtorch's native files are copied once into a shared folder every user may read, and the
 * compiled classes into the run's folder.
 */
final class UserModeFiles {

    private static final int FIRST_UID = 61_000;

    private final List<Path> classPath;
    private final List<Path> nativeCaches;
    private final Path runDir;
    private final int uid;

    private UserModeFiles(List<Path> classPath, List<Path> nativeCaches, Path runDir, int uid) {
        this.classPath = classPath;
        this.nativeCaches = nativeCaches;
        this.runDir = runDir;
        this.uid = uid;
    }

    static UserModeFiles prepare(StudentJvmFiles files, Path runDir, int uid) throws IOException {
        Path shared = Path.of(System.getProperty("java.io.tmpdir"), "tiny-vllm-tutor-shared");
        Files.createDirectories(shared);
        ProcessTree.makeReadableByAll(shared);
        List<Path> cp = new ArrayList<>();
        for (Path jar : files.classPath()) {
            Path copy = shared.resolve(Integer.toHexString(jar.toString().hashCode()) + "-" + jar.getFileName());
            copyOnce(jar, copy);
            cp.add(copy);
        }
        List<Path> caches = new ArrayList<>();
        for (Path cache : files.nativeCaches()) {
            Path copy = shared.resolve("cache-" + Integer.toHexString(cache.toString().hashCode()));
            copyTreeOnce(cache, copy);
            caches.add(copy);
        }
        return new UserModeFiles(cp, caches, runDir, uid);
    }

    List<Path> classPath() {
        return classPath;
    }

    List<Path> nativeCaches() {
        return nativeCaches;
    }

    /** Where the copies of the compiled classes go: known when the JVM starts, filled once they are compiled. */
    List<Path> classCopies(int count) throws IOException {
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path copy = Files.createDirectories(runDir.resolve("classes-" + i));
            ProcessTree.makeReadableByAll(copy);
            copies.add(copy);
        }
        return copies;
    }

    /** Copies the compiled classes, readable by the student's user, into the places {@link #classCopies} gave. */
    List<Path> copyClasses(List<Path> classDirs) throws IOException {
        List<Path> copies = classCopies(classDirs.size());
        for (int i = 0; i < classDirs.size(); i++) {
            copyTree(classDirs.get(i), copies.get(i));
        }
        return copies;
    }

    /** The run's folder open to the student's user: it may read the inputs and connect to the socket. */
    void allowAccess(Path dir, Path inputs, Path socket) throws IOException {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        ProcessTree.makeReadableByAll(inputs);
        Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** A user id no running process has. */
    static int freeUid() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int uid = FIRST_UID + ThreadLocalRandom.current().nextInt(4000);
            if (processesOf(uid).isEmpty()) {
                return uid;
            }
        }
        throw new IllegalStateException("no free user id for the student JVM");
    }

    /** Ends every process of the student's user (the whole tree, detached ones too). */
    static void killAll(int uid) {
        for (int round = 0; round < 3; round++) {
            List<Long> pids = processesOf(uid);
            if (pids.isEmpty()) {
                return;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static List<Long> processesOf(int uid) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    for (String line : Files.readAllLines(p.resolve("status"))) {
                        if (line.startsWith("Uid:")) {
                            if (line.split("\\s+")[1].equals(Integer.toString(uid))) {
                                pids.add(Long.parseLong(name));
                            }
                            break;
                        }
                    }
                } catch (IOException | UncheckedIOException e) {
                    // The process ended while we looked.
                }
            }
        } catch (IOException e) {
            // No /proc: nothing to find.
        }
        return pids;
    }

    private static void copyOnce(Path from, Path to) throws IOException {
        if (Files.isRegularFile(to) && Files.size(to) == Files.size(from)) {
            return;
        }
        Path tmp = Files.createTempFile(to.getParent(), "copy-", ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        ProcessTree.makeReadableByAll(tmp);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copyTreeOnce(Path from, Path to) throws IOException {
        if (Files.isDirectory(to)) {
            return;
        }
        Path tmp = Files.createTempDirectory(to.getParent(), "copy-");
        copyTree(from, tmp);
        try {
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            ProcessTree.deleteTree(tmp); // another run made it first
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectories(target);
                ProcessTree.makeReadableByAll(target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                try {
                    Files.createLink(target, file);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
                ProcessTree.makeReadableByAll(target);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
