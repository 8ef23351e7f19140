package dev.tinyvllm.check.runner;

import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StudentCode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Calls the student's static methods by reflection and turns every way they can fail into a message. */
final class ReflectiveStudentCode implements StudentCode {

    private final ClassLoader loader;
    private final String className;
    private Class<?> type;

    ReflectiveStudentCode(ClassLoader loader, String className) {
        this.loader = loader;
        this.className = className;
    }

    @Override
    public Object call(String method, Class<?>[] parameterTypes, Object... args) throws StudentFailure {
        Method target = find(method, parameterTypes);
        try {
            return target.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw failure(method, e.getCause());
        } catch (LinkageError e) {
            throw failure(method, e);
        } catch (IllegalAccessException e) {
            throw new StudentFailure(Outcome.ERROR, signature(method, parameterTypes) + " is not accessible: "
                    + "make the class and the method public", e);
        }
    }

    private Method find(String method, Class<?>[] parameterTypes) throws StudentFailure {
        if (type == null) {
            try {
                type = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new StudentFailure(Outcome.ERROR, "cannot load " + className + ": " + e, e);
            }
        }
        Method target;
        try {
            target = type.getMethod(method, parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new StudentFailure(Outcome.ERROR, className + " has no public method "
                    + signature(method, parameterTypes) + "; the checks call it by exactly this name and "
                    + "parameter list", e);
        } catch (LinkageError e) {
            throw failure(method, e);
        }
        if (!Modifier.isStatic(target.getModifiers())) {
            throw new StudentFailure(Outcome.ERROR, signature(method, parameterTypes) + " must be static", null);
        }
        return target;
    }

    private StudentFailure failure(String method, Throwable thrown) {
        Throwable cause = thrown instanceof ExceptionInInitializerError init && init.getCause() != null
                ? init.getCause() : thrown;
        StackTraceElement where = firstStudentFrame(cause);
        String at = where == null ? "" : " at " + where.getFileName() + ":" + where.getLineNumber();
        if (cause instanceof UnsupportedOperationException && isStudentFrame(cause.getStackTrace(), 0)) {
            return new StudentFailure(Outcome.NOT_IMPLEMENTED,
                    method + " is not implemented yet (it still throws UnsupportedOperationException" + at + ")", cause);
        }
        String hidden = hiddenClass(cause);
        if (hidden != null) {
            return new StudentFailure(Outcome.ERROR, method + " reached for " + hidden
                    + ", which is hidden from student code (references and oracles are not available)" + at, cause);
        }
        if (cause instanceof StackOverflowError) {
            return new StudentFailure(Outcome.ERROR, method + " overflowed the stack" + at
                    + ": does a call never reach the case that stops it?", cause);
        }
        if (cause instanceof OutOfMemoryError) {
            return new StudentFailure(Outcome.ERROR, method + " ran out of memory" + at + " (" + cause.getMessage() + ")",
                    cause);
        }
        String message = cause.getMessage() == null ? "" : ": " + firstLines(cause.getMessage());
        return new StudentFailure(Outcome.ERROR, method + " threw " + cause.getClass().getName() + message + at, cause);
    }

    private static String hiddenClass(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if ((c instanceof ClassNotFoundException || c instanceof NoClassDefFoundError) && c.getMessage() != null) {
                String name = c.getMessage().split(" ")[0].replace('/', '.');
                if (name.startsWith("dev.tinyvllm.") && !StudentClassLoader.visible(name)) {
                    return name;
                }
            }
        }
        return null;
    }

    private static StackTraceElement firstStudentFrame(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < trace.length; i++) {
            if (isStudentFrame(trace, i)) {
                return trace[i];
            }
        }
        return null;
    }

    private static boolean isStudentFrame(StackTraceElement[] trace, int i) {
        return i < trace.length && StudentClassLoader.NAME.equals(trace[i].getClassLoaderName());
    }

    // libtorch's messages carry a C++ backtrace after the first lines.
    private static String firstLines(String message) {
        String[] lines = message.strip().split("\n");
        return Arrays.stream(lines).limit(3).collect(Collectors.joining(" | "));
    }

    private static String signature(String method, Class<?>[] types) {
        return method + Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
