package dev.tinyvllm.autograder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes the zip Gradescope takes as an autograder: setup.sh and run_autograder at its root (executable),
 * {@code autograder.json}, and the tutor with its libraries under {@code tutor/}.
 *
 * <p>The JDK's zip file system writes the files' Unix modes (java.util.zip cannot), so the scripts stay
 * executable however the zip is unpacked. Entries are stored, not deflated: nearly all the bytes are jars,
 * which are compressed already.
 */
public final class AutograderBundle {

    public static final String SETUP = "setup.sh";
    public static final String RUN = "run_autograder";
    /** Where the tutor goes in the bundle; the scripts' class path names it. */
    public static final String TUTOR_DIR = "tutor";

    private static final Set<PosixFilePermission> SCRIPT = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    // The tutor's files hold the references: closed to other users from the moment they are unpacked.
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private AutograderBundle() {}

    /** Writes the bundle to {@code out} (replacing it only once it is complete). */
    public static void write(Path out, AutograderConfig config, TutorFiles tutor) {
        Path target = out.toAbsolutePath().normalize();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), ".autograder-", ".zip");
            Files.delete(tmp); // the zip file system creates it
            URI uri = URI.create("jar:" + tmp.toUri());
            // Large entries through temporary files rather than memory: libtorch alone is over 100 MB.
            Map<String, Object> env = Map.of("create", "true", "enablePosixFileAttributes", "true",
                    "noCompression", "true", "useTempFile", Boolean.TRUE);
            try (FileSystem zip = FileSystems.newFileSystem(uri, env)) {
                text(zip, SETUP, AutograderScripts.SETUP, SCRIPT);
                text(zip, RUN, AutograderScripts.RUN, SCRIPT);
                bytes(zip, AutograderConfig.FILE, config.toJson(), PUBLIC);
                copy(zip, TUTOR_DIR + "/tutor.jar", tutor.jar());
                for (Map.Entry<String, Path> library : tutor.libraries().entrySet()) {
                    copy(zip, TUTOR_DIR + "/" + library.getKey(), library.getValue());
                }
                Set<String> names = new HashSet<>();
                for (Path extra : tutor.extras()) {
                    String name = extra.getFileName().toString();
                    for (int i = 2; !names.add(name); i++) {
                        name = i + "-" + extra.getFileName();
                    }
                    copy(zip, TUTOR_DIR + "/extra/" + name, extra);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the autograder bundle " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // A leftover temporary file next to the bundle is harmless.
                }
            }
        }
    }

    private static void text(FileSystem zip, String name, String content, Set<PosixFilePermission> mode)
            throws IOException {
        bytes(zip, name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    private static void bytes(FileSystem zip, String name, byte[] content, Set<PosixFilePermission> mode)
            throws IOException {
        Path entry = entry(zip, name);
        Files.write(entry, content);
        Files.setPosixFilePermissions(entry, mode);
    }

    private static void copy(FileSystem zip, String name, Path from) throws IOException {
        Path entry = entry(zip, name);
        Files.copy(from, entry);
        Files.setPosixFilePermissions(entry, PRIVATE);
    }

    private static Path entry(FileSystem zip, String name) throws IOException {
        Path entry = zip.getPath("/" + name);
        Path parent = entry.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            for (Path dir = parent; dir != null && dir.getNameCount() > 0; dir = dir.getParent()) {
                Files.setPosixFilePermissions(dir, PRIVATE_DIR);
            }
        }
        return entry;
    }
}
