package dev.tinyvllm.check.runner;

import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StudentCode;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Calls the student's methods and constructors by reflection and turns every way they can fail into a
 * message. Public so that tests can grade a compiled solution in their own JVM.
 */
public final class ReflectiveStudentCode implements StudentCode {

    private final ClassLoader loader;
    private final String className;
    private final Map<String, Class<?>> types = new HashMap<>();

    /**
     * @param loader loads the student's classes (a {@link StudentClassLoader})
     * @param className the step's main class, the one {@link #call} calls
     */
    public ReflectiveStudentCode(ClassLoader loader, String className) {
        this.loader = loader;
        this.className = className;
    }

    @Override
    public Object call(String method, Class<?>[] parameterTypes, Object... args) throws StudentFailure {
        return callStatic(className, method, parameterTypes, args);
    }

    @Override
    public Object callStatic(String owner, String method, Class<?>[] parameterTypes, Object... args)
            throws StudentFailure {
        Method target = find(owner, method, parameterTypes);
        if (!Modifier.isStatic(target.getModifiers())) {
            throw new StudentFailure(Outcome.ERROR, signature(method, parameterTypes) + " must be static", null);
        }
        return run(target, method, parameterTypes, null, args);
    }

    @Override
    public Object construct(String owner, Class<?>[] parameterTypes, Object... args) throws StudentFailure {
        Class<?> type = type(owner);
        String label = "the " + type.getSimpleName() + " constructor";
        Constructor<?> target;
        try {
            target = type.getConstructor(parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new StudentFailure(Outcome.ERROR, owner + " has no public constructor "
                    + signature(type.getSimpleName(), parameterTypes) + "; the checks call it with exactly these "
                    + "parameters", e);
        } catch (LinkageError e) {
            throw failure(label, e);
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new StudentFailure(Outcome.ERROR, owner + " must not be abstract: the checks create it", null);
        }
        return run(target, label, parameterTypes, null, args);
    }

    @Override
    public Object invoke(Object target, String method, Class<?>[] parameterTypes, Object... args)
            throws StudentFailure {
        if (target == null) {
            throw new IllegalArgumentException("no object to call " + method + " on");
        }
        Method m = find(target.getClass().getName(), method, parameterTypes);
        if (Modifier.isStatic(m.getModifiers())) {
            throw new StudentFailure(Outcome.ERROR, signature(method, parameterTypes)
                    + " must not be static: it works on the weights its object holds", null);
        }
        return run(m, target.getClass().getSimpleName() + "." + method, parameterTypes, target, args);
    }

    @Override
    public Class<?> type(String name) throws StudentFailure {
        Class<?> type = types.get(name);
        if (type == null) {
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new StudentFailure(Outcome.ERROR, "cannot load " + name + ": " + e, e);
            }
            if (!Modifier.isPublic(type.getModifiers())) {
                throw new StudentFailure(Outcome.ERROR, name + " must be a public class", null);
            }
            types.put(name, type);
        }
        return type;
    }

    private Object run(Executable target, String label, Class<?>[] parameterTypes, Object self, Object... args)
            throws StudentFailure {
        try {
            return target instanceof Method m ? m.invoke(self, args) : ((Constructor<?>) target).newInstance(args);
        } catch (InvocationTargetException e) {
            throw failure(label, target.getDeclaringClass().getName(), e.getCause());
        } catch (LinkageError e) {
            throw failure(label, e);
        } catch (InstantiationException e) {
            throw new StudentFailure(Outcome.ERROR, label + " cannot create an object: " + e, e);
        } catch (IllegalAccessException e) {
            throw new StudentFailure(Outcome.ERROR, signature(label, parameterTypes) + " is not accessible: "
                    + "make the class and the method public", e);
        }
    }

    private Method find(String owner, String method, Class<?>[] parameterTypes) throws StudentFailure {
        Class<?> type = type(owner);
        try {
            return type.getMethod(method, parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new StudentFailure(Outcome.ERROR, owner + " has no public method "
                    + signature(method, parameterTypes) + "; the checks call it by exactly this name and "
                    + "parameter list", e);
        } catch (LinkageError e) {
            throw failure(method, e);
        }
    }

    private StudentFailure failure(String method, Throwable thrown) {
        return failure(method, null, thrown);
    }

    /**
     * @param owner the class whose method or constructor was called; a skeleton's exception thrown by
     *     another class (an earlier step's code it calls) is reported as that other code's
     */
    private StudentFailure failure(String method, String owner, Throwable thrown) {
        Throwable cause = thrown instanceof ExceptionInInitializerError init && init.getCause() != null
                ? init.getCause() : thrown;
        StackTraceElement where = firstStudentFrame(cause);
        String at = where == null ? "" : " at " + where.getFileName() + ":" + where.getLineNumber();
        if (cause instanceof UnsupportedOperationException && isStudentFrame(cause.getStackTrace(), 0)) {
            String thrower = cause.getStackTrace()[0].getClassName();
            if (owner != null && !thrower.equals(owner) && cause.getMessage() != null) {
                return new StudentFailure(Outcome.NOT_IMPLEMENTED, method + " calls code that is not implemented yet: "
                        + cause.getMessage() + " (it still throws UnsupportedOperationException" + at + ")", cause);
            }
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
