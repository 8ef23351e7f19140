package dev.tinyvllm.check;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tinyvllm.curriculum.StudentApiJar;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles a step's sources in-process against DJL's API and the student API only. The tutor's other
 * packages share a jar with the student API, so the file manager hides them: a source that names a
 * reference or oracle class fails with "package ... does not exist".
 */
public final class StudentCompiler {

    /** One compiler message, with its place in the student's file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String file, Long line, Long column, String kind, String message) {

        @Override
        public String toString() {
            return (file == null ? "" : file + (line == null ? "" : ":" + line + (column == null ? "" : ":" + column)) + ": ")
                    + kind.toLowerCase(Locale.ROOT) + ": " + message;
        }
    }

    /** The compiler's verdict; {@code classes} holds the class files when it succeeded. */
    public record Result(boolean success, List<Message> messages, Path classes, long millis) {}

    private static final String HIDDEN_ROOT = "dev.tinyvllm";
    private static final String STUDENT_API = "dev.tinyvllm.student";

    private StudentCompiler() {}

    /**
     * @param root the folder source paths in messages are reported relative to
     * @param sourceDir the folder whose .java files (recursively) make up the step
     * @param out emptied, then filled with class files
     */
    public static Result compile(Path root, Path sourceDir, Path out) {
        return compile(root, List.of(sourceDir), out);
    }

    /**
     * Compiles several folders together, so that code in one may call code in another (a step and
     * the earlier steps it builds on).
     *
     * @param sourceDirs folders whose .java files (recursively) are compiled; each must hold some
     */
    public static Result compile(Path root, List<Path> sourceDirs, Path out) {
        long start = System.nanoTime();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                    + ": the tutor needs a JDK, not a JRE");
        }
        List<Path> sources = new ArrayList<>();
        for (Path sourceDir : sourceDirs) {
            List<Path> found = javaFiles(sourceDir);
            if (found.isEmpty()) {
                return new Result(false, List.of(new Message(null, null, null, "ERROR",
                        "no .java files in " + root.relativize(sourceDir)
                                + ": was the workspace created with `tutor init`?")), null, millis(start));
            }
            sources.addAll(found);
        }
        // Unchanged sources compiled cleanly last time: their classes are still in `out`.
        String digest = digest(root, sources);
        Path digestFile = out.resolveSibling(out.getFileName() + ".digest");
        if (digest.equals(readQuietly(digestFile)) && Files.isDirectory(out)) {
            return new Result(true, List.of(), out, millis(start));
        }
        deleteQuietly(digestFile);
        recreate(out);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter otherOutput = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(location(NDArray.class),
                    StudentApiJar.tutorCodeSource()));
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
            files.setLocationFromPaths(StandardLocation.SOURCE_PATH, List.of());
            JavaFileManager visible = new StudentView(files);
            List<String> options = List.of("--release", "17", "-g", "-proc:none", "-implicit:none", "-Xlint:none",
                    "-encoding", "UTF-8");
            boolean ok = javac.getTask(otherOutput, visible, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            List<Message> messages = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                        || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
                    messages.add(message(root, d));
                }
            }
            if (ok && messages.isEmpty()) {
                Files.writeString(digestFile, digest);
            }
            return new Result(ok, messages, ok ? out : null, millis(start));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile " + sourceDirs, e);
        }
    }

    /**
     * Compiles a small class once so that a long-lived process's first real compile finds the compiler's
     * own code loaded and compiled (it takes a cold javac several times longer than a warm one).
     */
    public static void warmUp() {
        try {
            Path dir = Files.createTempDirectory("tutor-javac-warm-");
            try {
                Path src = Files.createDirectories(dir.resolve("src/warm"));
                Files.writeString(src.resolve("Warm.java"), "package warm;\nimport ai.djl.ndarray.NDArray;\n"
                        + "public final class Warm { public static NDArray twice(NDArray x) { return x.mul(2); } }\n");
                compile(dir, List.of(src), dir.resolve("classes"));
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            // Only a warm-up: the first real compile is slower, nothing else.
        }
    }

    /**
     * What the classes depend on: every source's path and bytes, the compiler's version, and the classes
     * compiled against (the tutor's own build).
     */
    private static String digest(Path root, List<Path> sources) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(System.getProperty("java.version").getBytes(StandardCharsets.UTF_8));
            Path api = StudentApiJar.tutorCodeSource();
            sha.update((api + "@" + Files.getLastModifiedTime(api)).getBytes(StandardCharsets.UTF_8));
            for (Path source : sources) {
                sha.update(root.relativize(source).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(source));
                sha.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            return "unreadable: " + e; // never equal to a stored digest: compile and let javac report it
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The next compile writes it again.
        }
    }

    private static Message message(Path root, Diagnostic<? extends JavaFileObject> d) {
        String file = null;
        if (d.getSource() != null) {
            Path path = Path.of(d.getSource().toUri());
            file = path.startsWith(root) ? root.relativize(path).toString() : path.toString();
        }
        String text = d.getMessage(Locale.ROOT);
        if (text.contains("package " + HIDDEN_ROOT) && !text.contains(STUDENT_API)) {
            text += " (reference, oracle and checker classes are hidden from student code)";
        }
        return new Message(file, d.getLineNumber() < 0 ? null : d.getLineNumber(),
                d.getColumnNumber() < 0 ? null : d.getColumnNumber(), d.getKind().name().replace("MANDATORY_", ""), text);
    }

    /** Lists no class of the tutor's own packages but the student API. */
    private static final class StudentView extends ForwardingJavaFileManager<StandardJavaFileManager> {
        StudentView(StandardJavaFileManager files) {
            super(files);
        }

        @Override
        public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds,
                boolean recurse) throws IOException {
            if (location == StandardLocation.CLASS_PATH && hidden(packageName)) {
                return List.of();
            }
            return super.list(location, packageName, kinds, recurse);
        }

        private static boolean hidden(String packageName) {
            boolean tutor = packageName.equals(HIDDEN_ROOT) || packageName.startsWith(HIDDEN_ROOT + ".");
            return tutor && !(packageName.equals(STUDENT_API) || packageName.startsWith(STUDENT_API + "."));
        }
    }

    private static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Empties the folder but keeps it: a student JVM started before the compiler ran has this very folder
     * in its sandbox's view, and a new folder of the same name would not be the one it sees.
     */
    private static void recreate(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                        if (!p.equals(dir)) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
