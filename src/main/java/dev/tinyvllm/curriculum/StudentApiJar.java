package dev.tinyvllm.curriculum;

import dev.tinyvllm.student.Kernels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Jars cut out of the tutor's own classes for the student's side: the one a workspace's pom.xml compiles
 * against, and the one a student JVM runs on. Nothing of the references, oracles or checks goes in.
 */
public final class StudentApiJar {

    /**
     * Packages (as class-file path prefixes) the workspace's jar holds: the student API, and what it runs
     * on (the libtorch plumbing of its fused kernels, the model folder and tokenizer code of the loader).
     * Student code compiles against the first only.
     */
    public static final List<String> PACKAGES = List.of("dev/tinyvllm/student/", "dev/tinyvllm/torch/",
            "dev/tinyvllm/model/");

    /**
     * What a student JVM runs on besides: the host that answers the judge, and the public fixtures of the
     * checks (the tutor's own, and each step's {@code driver} package).
     */
    private static final java.util.regex.Pattern STUDENT_JVM = java.util.regex.Pattern.compile(
            "dev/tinyvllm/(student|torch|model|host)/.*|dev/tinyvllm/steps/[^/]+/[^/]+/driver/.*");

    private static final long FIXED_TIME = 315_532_800_000L; // 1980-01-01: same bytes on every build

    private StudentApiJar() {}

    /** Where the tutor's classes live: a jar (installed) or a classes folder (tests, IDE). */
    public static Path tutorCodeSource() {
        try {
            return Path.of(Kernels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The workspace's jar. */
    public static byte[] build() {
        return build(name -> PACKAGES.stream().anyMatch(name::startsWith), "tiny-vllm-tutor student API");
    }

    /** The student JVM's jar. */
    public static byte[] buildStudentJvm() {
        return build(name -> STUDENT_JVM.matcher(name).matches(), "tiny-vllm-tutor student JVM");
    }

    private static byte[] build(java.util.function.Predicate<String> packages, String title) {
        java.util.function.Predicate<String> included = name -> name.endsWith(".class") && packages.test(name);
        TreeMap<String, byte[]> entries = new TreeMap<>();
        Path source = tutorCodeSource();
        try {
            if (Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                        String name = source.relativize(p).toString().replace('\\', '/');
                        if (included.test(name)) {
                            entries.put(name, Files.readAllBytes(p));
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                        if (!e.isDirectory() && included.test(e.getName())) {
                            try (InputStream in = jar.getInputStream(e)) {
                                entries.put(e.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().putValue("Implementation-Title", title);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(bytes)) {
                JarEntry m = new JarEntry(JarFile.MANIFEST_NAME);
                m.setTime(FIXED_TIME);
                out.putNextEntry(m);
                manifest.write(out);
                out.closeEntry();
                for (var e : entries.entrySet()) {
                    JarEntry entry = new JarEntry(e.getKey());
                    entry.setTime(FIXED_TIME);
                    out.putNextEntry(entry);
                    out.write(e.getValue());
                    out.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the student API jar from " + source, e);
        }
    }

}
