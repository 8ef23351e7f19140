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
 * The jar a workspace's pom.xml compiles against: the student API and the libtorch plumbing it calls,
 * cut out of the tutor's own classes. Nothing of the references or oracles goes in.
 */
public final class StudentApiJar {

    /**
     * Packages (as class-file path prefixes) the jar holds: the student API, and what it runs on (the
     * libtorch plumbing of the kernels, the model folder and tokenizer code of the loader). Student code
     * compiles against the first only.
     */
    public static final List<String> PACKAGES = List.of("dev/tinyvllm/student/", "dev/tinyvllm/torch/",
            "dev/tinyvllm/model/");

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

    public static byte[] build() {
        TreeMap<String, byte[]> entries = new TreeMap<>();
        Path source = tutorCodeSource();
        try {
            if (Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                        String name = source.relativize(p).toString().replace('\\', '/');
                        if (included(name)) {
                            entries.put(name, Files.readAllBytes(p));
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                        if (!e.isDirectory() && included(e.getName())) {
                            try (InputStream in = jar.getInputStream(e)) {
                                entries.put(e.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().putValue("Implementation-Title", "tiny-vllm-tutor student API");
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

    private static boolean included(String name) {
        return name.endsWith(".class") && PACKAGES.stream().anyMatch(name::startsWith);
    }
}
