package dev.tinyvllm.curriculum;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tinyvllm.BuildInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A student's workspace: skeletons they edit, step READMEs, a Maven project file for their IDE, and
 * {@code .tutor/} for the tutor's own state. The folder holding {@code .tutor/workspace.json} is the root.
 */
public final class Workspace {

    public static final String STATE_DIR = ".tutor";
    private static final String MANIFEST = "workspace.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** What {@code .tutor/workspace.json} records: which tutor wrote which files, with their hashes. */
    private record Manifest(int schemaVersion, String tutorVersion, String createdAt, Map<String, String> written) {}

    /** The outcome of {@link #init}: each file written, left as it was, or kept because the student edited it. */
    public record InitReport(Path root, List<String> written, List<String> unchanged, List<String> keptEdited) {}

    private final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path stateDir() {
        return root.resolve(STATE_DIR);
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** The workspace holding {@code start}: start itself or the nearest parent with a {@code .tutor/} manifest. */
    public static Optional<Workspace> locate(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(STATE_DIR).resolve(MANIFEST))) {
                return Optional.of(new Workspace(dir));
            }
        }
        return Optional.empty();
    }

    public static Workspace require(Path start) {
        return locate(start).orElseThrow(() -> new IllegalArgumentException(
                "no tutor workspace at or above " + start.toAbsolutePath().normalize()
                        + ": create one with `tutor init DIR` or pass --workspace DIR"));
    }

    /**
     * Creates or completes a workspace. Never overwrites a file the student changed: a file is
     * (re)written only when it is missing, or still byte-for-byte what the tutor wrote last time.
     */
    public static InitReport init(Path dir, Catalog catalog, byte[] studentApiJar) {
        Path root = dir.toAbsolutePath().normalize();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("README.md", Resources.requireBytes("curriculum/workspace-README.md"));
        files.put("pom.xml", workspacePom());
        files.put(".gitignore", ".tutor/build/\n.tutor/cache/\ntarget/\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        files.put("lib/tutor-student-api.jar", studentApiJar);
        for (Step step : catalog.availableSteps()) {
            files.put(step.workspaceReadme(), Resources.requireBytes(step.readmeResource()));
            for (String file : step.files()) {
                files.put(file, Resources.requireBytes(step.skeletonResource(file)));
            }
        }

        Manifest previous = readManifest(root).orElse(null);
        Map<String, String> recorded = previous == null ? Map.of() : previous.written();
        Map<String, String> nowWritten = new TreeMap<>(recorded);
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        try {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path target = root.resolve(e.getKey());
                String newHash = sha256(e.getValue());
                if (Files.exists(target)) {
                    String currentHash = sha256(Files.readAllBytes(target));
                    if (currentHash.equals(newHash)) {
                        unchanged.add(e.getKey());
                        nowWritten.put(e.getKey(), newHash);
                        continue;
                    }
                    if (!currentHash.equals(recorded.get(e.getKey()))) {
                        kept.add(e.getKey());
                        continue;
                    }
                }
                Files.createDirectories(target.getParent());
                Files.write(target, e.getValue());
                nowWritten.put(e.getKey(), newHash);
                written.add(e.getKey());
            }
            Files.createDirectories(root.resolve(STATE_DIR).resolve("sessions"));
            String created = previous == null ? Instant.now().toString() : previous.createdAt();
            JSON.writeValue(root.resolve(STATE_DIR).resolve(MANIFEST).toFile(),
                    new Manifest(1, BuildInfo.current().version(), created, nowWritten));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot initialise the workspace " + root + ": " + e.getMessage(), e);
        }
        return new InitReport(root, written, unchanged, kept);
    }

    private static Optional<Manifest> readManifest(Path root) {
        Path file = root.resolve(STATE_DIR).resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Manifest.class));
        } catch (IOException e) {
            // Without a trustworthy record every differing file counts as edited and is kept.
            return Optional.empty();
        }
    }

    private static byte[] workspacePom() {
        BuildInfo build = BuildInfo.current();
        String pom = Resources.requireText("curriculum/workspace-pom.xml")
                .replace("@TUTOR_VERSION@", build.version())
                .replace("@DJL_VERSION@", build.djlVersion())
                .replace("@LIBTORCH_VERSION@", build.libtorchVersion())
                // The jackson the tutor runs with, so the model loader behaves the same in the IDE.
                .replace("@JACKSON_VERSION@", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return pom.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
