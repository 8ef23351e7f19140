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
