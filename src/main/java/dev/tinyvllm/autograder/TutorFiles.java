package dev.tinyvllm.autograder;

import dev.tinyvllm.curriculum.StudentApiJar;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The files the running tutor is made of, as a bundle must carry them: its jar, the libraries its manifest's
 * {@code Class-Path} names (by the same relative names, so the copied jar still finds them), and any further
 * jars on the class path (a jar of extra steps). Nothing is fetched: what runs here is what the bundle runs.
 *
 * @param jar the tutor's own jar
 * @param libraries each library by its path relative to the jar's folder (as the manifest writes it)
 * @param extras further jars of the class path, in class-path order
 */
public record TutorFiles(Path jar, Map<String, Path> libraries, List<Path> extras) {

    public TutorFiles {
        libraries = Collections.unmodifiableMap(new LinkedHashMap<>(libraries));
        extras = List.copyOf(extras);
    }

    /** The files of this JVM's tutor; a tutor that runs from a classes folder (the IDE, the tests) has none to give. */
    public static TutorFiles current() {
        Path jar = real(StudentApiJar.tutorCodeSource());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("a bundle is made from the packaged tutor (target/tutor.jar with "
                    + "target/lib/), but this one runs from the folder " + jar + "; build it with "
                    + "`mvn -B -DskipTests package` and run it through scripts/tutor");
        }
        Map<String, Path> libraries = libraries(jar);
        Set<Path> known = new HashSet<>();
        known.add(jar);
        libraries.values().forEach(library -> known.add(real(library)));
        List<Path> extras = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isBlank() || !Files.exists(Path.of(entry))) {
                continue; // the JVM skips such entries too
            }
            Path path = real(Path.of(entry));
            if (known.add(path)) {
                if (!Files.isRegularFile(path)) {
                    throw new IllegalStateException("only jars can go into a bundle, but the class path holds the "
                            + "folder " + path);
                }
                extras.add(path);
            }
        }
        return new TutorFiles(jar, libraries, extras);
    }

    /** The jar's {@code Class-Path}, each entry checked to lie below the jar's folder and to exist. */
    static Map<String, Path> libraries(Path jar) {
        Map<String, Path> found = new LinkedHashMap<>();
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tutor jar " + jar, e);
        }
        String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        if (classPath == null) {
            return found;
        }
        URI base = jar.getParent().toUri();
        for (String entry : classPath.trim().split("\\s+")) {
            Path library = Path.of(base.resolve(entry)).normalize();
            if (!library.startsWith(jar.getParent()) || library.equals(jar.getParent())) {
                throw new IllegalStateException("the tutor jar's Class-Path entry " + entry + " lies outside its folder");
            }
            if (!Files.isRegularFile(library)) {
                throw new IllegalStateException("the tutor's installation lacks " + library + " (its jar's Class-Path "
                        + "names it); rebuild it with `mvn -B -DskipTests package`");
            }
            found.put(jar.getParent().relativize(library).toString().replace('\\', '/'), library);
        }
        return found;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
