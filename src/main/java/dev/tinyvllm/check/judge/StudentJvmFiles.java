package dev.tinyvllm.check.judge;

import ai.djl.util.Utils;
import dev.tinyvllm.curriculum.StudentApiJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files a student JVM runs on, and nothing else: a jar cut from the tutor's classes (the student
 * API, the host, the public fixtures), the libraries DJL needs, the JDK, and libtorch's native files.
 * Found once per tutor process.
 */
public final class StudentJvmFiles {

    /** A class of every library the student JVM loads; its jar joins the class path. */
    private static final List<String> LIBRARIES = List.of("ai.djl.ndarray.NDArray", "ai.djl.pytorch.engine.PtEngine",
            "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer", "com.google.gson.Gson", "com.sun.jna.Native",
            "org.slf4j.LoggerFactory", "org.apache.commons.compress.archivers.ArchiveEntry",
            "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonInclude");

    /** Resources that find the jars of libtorch's JNI and native files, which hold no class. */
    private static final List<String> NATIVE_JARS = List.of("jnilib/pytorch.properties", "native/lib/pytorch.properties");

    private static volatile StudentJvmFiles found;

    private final List<Path> classPath;
    private final List<Path> nativeCaches;
    private final Path javaHome;

    private StudentJvmFiles(List<Path> classPath, List<Path> nativeCaches, Path javaHome) {
        this.classPath = List.copyOf(classPath);
        this.nativeCaches = List.copyOf(nativeCaches);
        this.javaHome = javaHome;
    }

    public static StudentJvmFiles get() {
        StudentJvmFiles f = found;
        if (f == null) {
            synchronized (StudentJvmFiles.class) {
                if (found == null) {
                    found = find();
                }
                f = found;
            }
        }
        return f;
    }

    /** The student JVM's class path: its own jar first, then the libraries. */
    public List<Path> classPath() {
        return classPath;
    }

    /** Where libtorch's and the tokenizers' native files were unpacked (read-only to the student JVM). */
    public List<Path> nativeCaches() {
        return nativeCaches;
    }

    public Path javaHome() {
        return javaHome;
    }

    /** DJL's cache folder, which the student JVM reads libtorch from. */
    public static Path djlCache() {
        return Utils.getCacheDir();
    }

    private static StudentJvmFiles find() {
        List<Path> cp = new ArrayList<>();
        cp.add(studentJar());
        Set<Path> libraries = new LinkedHashSet<>();
        for (String name : LIBRARIES) {
            try {
                libraries.add(location(Class.forName(name, false, StudentJvmFiles.class.getClassLoader())
                        .getProtectionDomain().getCodeSource()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the tutor's class path lacks " + name, e);
            }
        }
        for (String resource : NATIVE_JARS) {
            try {
                for (URL url : java.util.Collections.list(StudentJvmFiles.class.getClassLoader().getResources(resource))) {
                    String s = url.toString();
                    if (s.startsWith("jar:file:")) {
                        libraries.add(Path.of(new java.net.URI(s.substring(4, s.indexOf("!/")))));
                    }
                }
            } catch (IOException | URISyntaxException e) {
                // Without them DJL uses what is already unpacked in its cache.
            }
        }
        cp.addAll(libraries);
        List<Path> caches = new ArrayList<>();
        Path djl = djlCache();
        if (Files.isDirectory(djl)) {
            caches.add(realPath(djl));
        }
        return new StudentJvmFiles(cp, caches, realPath(Path.of(System.getProperty("java.home"))));
    }

    /**
     * The student JVM's jar, built once per version of the tutor's classes into the tutor's cache folder
     * (a new name when the classes change, so a running check never sees its jar replaced).
     */
    private static Path studentJar() {
        byte[] jar = StudentApiJar.buildStudentJvm();
        String name = "student-jvm-" + Integer.toHexString(java.util.Arrays.hashCode(jar)) + "-" + jar.length + ".jar";
        Path target = TutorDirs.cache().resolve(name);
        try {
            if (!Files.isRegularFile(target) || Files.size(target) != jar.length) {
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "student-jvm-", ".tmp");
                Files.write(tmp, jar);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the student JVM's jar to " + target, e);
        }
    }

    private static Path location(CodeSource source) {
        try {
            return realPath(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
