package dev.tinyvllm.curriculum;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The course content bundled in the tutor jar: curriculum/, prompts/ and reference-solutions/. */
public final class Resources {

    private Resources() {}

    /** The bytes of a bundled file, by its path from the repository root (for example {@code prompts/tutor.md}). */
    public static Optional<byte[]> bytes(String path) {
        try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled " + path, e);
        }
    }

    /** The bytes of every file of this path on the class path, the tutor's own first. */
    public static java.util.List<byte[]> all(String path) {
        java.util.List<byte[]> found = new java.util.ArrayList<>();
        try {
            java.util.List<java.net.URL> urls = new java.util.ArrayList<>(
                    java.util.Collections.list(Resources.class.getClassLoader().getResources(path)));
            String own = String.valueOf(Resources.class.getProtectionDomain().getCodeSource().getLocation());
            urls.sort(java.util.Comparator.comparing(u -> u.toString().contains(own.replaceFirst("^file:", "")) ? 0 : 1));
            for (java.net.URL url : urls) {
                try (InputStream in = url.openStream()) {
                    found.add(in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled " + path, e);
        }
        return found;
    }

    public static Optional<String> text(String path) {
        return bytes(path).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    public static String requireText(String path) {
        return text(path).orElseThrow(() -> new IllegalStateException(
                "the tutor jar lacks " + path + ": rebuild it with `mvn -B -DskipTests package`"));
    }

    public static byte[] requireBytes(String path) {
        return bytes(path).orElseThrow(() -> new IllegalStateException(
                "the tutor jar lacks " + path + ": rebuild it with `mvn -B -DskipTests package`"));
    }
}
