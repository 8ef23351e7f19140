package dev.tinyvllm.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads the student's compiled classes. Their view of everything else passes through a filter: the
 * JDK, DJL's API and the student API. In a student JVM nothing secret is on the class path at all;
 * the filter is what makes a reach for the tutor's other classes fail with a message that says why.
 */
public final class StudentLoader extends URLClassLoader {

    /** Name shown in stack traces: how the host tells the student's frames from the rest. */
    public static final String NAME = "student";

    static final List<String> VISIBLE = List.of("java.", "javax.", "jdk.", "sun.", "ai.djl.", "dev.tinyvllm.student.");

    public StudentLoader(List<Path> classDirs, ClassLoader application) {
        super(NAME, classDirs.stream().map(StudentLoader::url).toArray(URL[]::new), new Filter(application));
    }

    private static URL url(Path classes) {
        try {
            return classes.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether student code may see a class of this name. */
    public static boolean visible(String className) {
        return VISIBLE.stream().anyMatch(className::startsWith);
    }

    private static final class Filter extends ClassLoader {
        private final ClassLoader application;

        Filter(ClassLoader application) {
            super("student-visible", null);
            this.application = application;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!visible(name)) {
                throw new ClassNotFoundException(name + " is hidden from student code: only the JDK, DJL's API and "
                        + "dev.tinyvllm.student are available");
            }
            return application.loadClass(name);
        }

        // Student code reads no resource through this loader: what it needs comes as arguments.
        @Override
        public URL getResource(String name) {
            return null;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return Collections.emptyEnumeration();
        }
    }
}
