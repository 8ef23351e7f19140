package dev.tinyvllm.cli.daemon;

import dev.tinyvllm.check.judge.TutorDirs;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the check daemon of this tutor build and this JDK listens and logs. A new build or another JDK
 * gets a daemon of its own; an old one ends when it has been idle long enough.
 */
final class DaemonPaths {

    private DaemonPaths() {}

    static Path dir() throws IOException {
        Path dir = TutorDirs.cache().resolve("daemon");
        Files.createDirectories(dir);
        // Only the user may reach the socket: whoever connects runs checks as this user.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** Names the build (the tutor's code and when it was made) and the JDK. */
    static String key() {
        try {
            Path code = Path.of(DaemonPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String build = code + "@" + Files.getLastModifiedTime(code).toMillis();
            String jdk = System.getProperty("java.home") + "@" + Runtime.version();
            return Integer.toHexString((build + "|" + jdk).hashCode());
        } catch (IOException | URISyntaxException e) {
            return "unknown";
        }
    }

    static Path socket() throws IOException {
        return dir().resolve("check-" + key() + ".sock");
    }

    static Path log() throws IOException {
        return dir().resolve("check-" + key() + ".log");
    }
}
