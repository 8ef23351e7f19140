package dev.tinyvllm.host;

import dev.tinyvllm.host.Failures.StudentFailure;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Calls the student's static methods, constructors and object methods by reflection, and turns every
 * way such a call can fail into the student's message (a missing method says which signature the
 * caller wanted).
 */
public final class StudentCalls {

    private StudentCalls() {}

    /** Calls a public static method. */
    public static Object callStatic(Class<?> owner, String method, Class<?>[] types, Object[] args) throws StudentFailure {
        Method target = find(owner, method, types);
        if (!Modifier.isStatic(target.getModifiers())) {
            throw StudentFailure.error(signature(method, types) + " must be static");
        }
        return run(target, method, types, null, args);
    }

    /** Creates an object with a public constructor. */
    public static Object construct(Class<?> type, Class<?>[] types, Object[] args) throws StudentFailure {
        String owner = type.getName();
        String label = "the " + type.getSimpleName() + " constructor";
        Constructor<?> target;
        try {
            target = type.getConstructor(types);
        } catch (NoSuchMethodException e) {
            throw StudentFailure.error(owner + " has no public constructor " + signature(type.getSimpleName(), types)
                    + "; the checks call it with exactly these parameters");
        } catch (LinkageError e) {
            throw Failures.of(label, null, e);
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw StudentFailure.error(owner + " must not be abstract: the checks create it");
        }
        return run(target, label, types, null, args);
    }

    /** Calls a public method of an object. */
    public static Object callInstance(Object target, String method, Class<?>[] types, Object[] args) throws StudentFailure {
        Method m = find(target.getClass(), method, types);
        if (Modifier.isStatic(m.getModifiers())) {
            throw StudentFailure.error(signature(method, types)
                    + " must not be static: it works on the weights its object holds");
        }
        return run(m, target.getClass().getSimpleName() + "." + method, types, target, args);
    }

    private static Object run(Executable target, String label, Class<?>[] types, Object self, Object[] args)
            throws StudentFailure {
        try {
            return target instanceof Method m ? m.invoke(self, args) : ((Constructor<?>) target).newInstance(args);
        } catch (InvocationTargetException e) {
            throw Failures.of(label, target.getDeclaringClass().getName(), e.getCause());
        } catch (LinkageError e) {
            throw Failures.of(label, null, e);
        } catch (InstantiationException e) {
            throw StudentFailure.error(label + " cannot create an object: " + e);
        } catch (IllegalAccessException e) {
            throw StudentFailure.error(signature(label, types) + " is not accessible: make the class and the method public");
        } catch (IllegalArgumentException e) {
            throw StudentFailure.error(label + " cannot take these arguments: " + e.getMessage());
        }
    }

    private static Method find(Class<?> owner, String method, Class<?>[] types) throws StudentFailure {
        try {
            return owner.getMethod(method, types);
        } catch (NoSuchMethodException e) {
            throw StudentFailure.error(owner.getName() + " has no public method " + signature(method, types)
                    + "; the checks call it by exactly this name and parameter list");
        } catch (LinkageError e) {
            throw Failures.of(method, null, e);
        }
    }

    static String signature(String method, Class<?>[] types) {
        return method + Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
