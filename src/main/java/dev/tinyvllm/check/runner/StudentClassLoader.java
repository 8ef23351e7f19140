package dev.tinyvllm.check.runner;

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
 * JDK, DJL's API and the student API, and nothing of the tutor's references, oracles or checker, so
 * code that reaches for them by reflection fails the same way it fails to compile.
 */
public final class StudentClassLoader extends URLClassLoader {

    /** Name shown in stack traces: how the runner tells the student's frames from the rest. */
    public static final String NAME = "student";

    static final List<String> VISIBLE = List.of("java.", "javax.", "jdk.", "sun.", "ai.djl.", "dev.tinyvllm.student.");

    public StudentClassLoader(Path classes, ClassLoader application) {
        super(NAME, new URL[] {url(classes)}, new Filter(application));
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

        // The bundled references are resources of the tutor jar; student code sees none of them.
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
