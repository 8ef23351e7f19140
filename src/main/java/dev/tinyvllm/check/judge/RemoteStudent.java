package dev.tinyvllm.check.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.DriverClass;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.Static;
import dev.tinyvllm.check.StudentClass;
import dev.tinyvllm.check.StudentFailure;
import dev.tinyvllm.check.WrongOutput;
import dev.tinyvllm.host.wire.Handle;
import dev.tinyvllm.host.wire.Message;
import dev.tinyvllm.host.wire.Open;
import dev.tinyvllm.host.wire.Tensor;
import dev.tinyvllm.host.wire.Tensors;
import dev.tinyvllm.student.ModelFolder;
import dev.tinyvllm.student.Tokenizer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The student's classes as the judge calls them: views ({@link StudentClass} and {@link DriverClass}
 * interfaces) whose every call travels to the student JVM and back. Arguments go as values (an NDArray
 * as its numbers, a model folder as its path, an object of the student JVM as its handle); results come
 * back as values on the check's manager, or as views of the objects the student JVM keeps.
 */
public final class RemoteStudent {

    /** Every view object is one of these: the object's handle in the student JVM, or none for a class. */
    public interface Remote {
        Handle handle();
    }

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class, boolean.class, Boolean.class);

    private final StudentLink link;
    private final NDManager results;
    private int nextCall = 1;

    /**
     * @param results the judge's manager that arrays coming back are made on (the check's)
     */
    public RemoteStudent(StudentLink link, NDManager results) {
        this.link = link;
        this.results = results;
    }

    /** The class a view interface stands for: its static methods and constructors. */
    public <T> T classView(Class<T> view) {
        String owner = owner(view);
        if (owner == null) {
            throw new IllegalArgumentException(view.getName() + " names no class: annotate it with @StudentClass "
                    + "or @DriverClass");
        }
        return view.cast(proxy(view, owner, null));
    }

    private Object proxy(Class<?> view, String owner, Handle handle) {
        InvocationHandler h = (self, method, args) -> dispatch(view, owner, handle, method, args == null
                ? new Object[0] : args);
        Class<?>[] interfaces = view == Remote.class ? new Class<?>[] {Remote.class} : new Class<?>[] {view, Remote.class};
        return Proxy.newProxyInstance(RemoteStudent.class.getClassLoader(), interfaces, h);
    }

    private Object dispatch(Class<?> view, String owner, Handle handle, Method method, Object[] args) {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "toString" -> (handle == null ? "class " + owner : handle.type() + "#" + handle.id()) + " (student JVM)";
                case "hashCode" -> System.identityHashCode(handle == null ? owner : handle);
                case "equals" -> args[0] instanceof Remote r && r.handle() != null && r.handle().equals(handle);
                default -> throw new UnsupportedOperationException(method.getName());
            };
        }
        if (method.getDeclaringClass() == Remote.class) {
            return handle;
        }
        Message.Target target;
        if (method.isAnnotationPresent(Static.class)) {
            target = Message.Target.STATIC;
        } else if (method.isAnnotationPresent(New.class)) {
            target = Message.Target.NEW;
        } else if (handle != null) {
            target = Message.Target.INSTANCE;
        } else {
            throw new IllegalStateException(view.getSimpleName() + "." + method.getName() + " needs an object of "
                    + owner + ": make one with a @New method first");
        }
        String label = target == Message.Target.NEW ? "the " + simpleName(owner) + " constructor"
                : target == Message.Target.INSTANCE ? simpleName(handle.type()) + "." + method.getName() : method.getName();
        return call(target, owner, handle, method, args, label);
    }

    private Object call(Message.Target target, String owner, Handle handle, Method method, Object[] args, String label) {
        Class<?>[] types = method.getParameterTypes();
        List<String> params = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            params.add(typeName(types[i]));
            values.add(toWire(args[i]));
        }
        int id = nextCall++;
        Message reply = link.exchange(new Message.Call(id, target, owner, handle == null ? -1 : handle.id(),
                method.getName(), params, values));
        if (reply instanceof Message.Returned r && r.id() == id) {
            return fromWire(r.value(), method.getGenericReturnType(), label);
        }
        if (reply instanceof Message.Failed f && f.id() == id) {
            Outcome outcome = "NOT_IMPLEMENTED".equals(f.outcome()) ? Outcome.NOT_IMPLEMENTED : Outcome.ERROR;
            throw new StudentFailure(outcome, f.message() == null ? label + " failed" : f.message());
        }
        throw new StudentJvmStopped(StudentJvmStopped.Reason.PROTOCOL,
                "the student JVM answered call " + id + " with " + describe(reply));
    }

    // ---------------------------------------------------------------- to the student JVM

    private static String typeName(Class<?> type) {
        String owner = owner(type);
        if (owner != null) {
            return owner;
        }
        if (type.isInterface() && !type.getName().startsWith("java.") && !type.getName().startsWith("ai.djl.")
                && !type.getName().startsWith("dev.tinyvllm.student.")) {
            throw new IllegalArgumentException("the parameter type " + type.getName() + " names no class of the "
                    + "student JVM: annotate it with @StudentClass or @DriverClass");
        }
        return type.getTypeName();
    }

    private Object toWire(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Float || value instanceof Double || value instanceof int[]
                || value instanceof long[] || value instanceof float[] || value instanceof boolean[]
                || value instanceof int[][]) {
            return value;
        }
        if (value instanceof NDArray array) {
            return Tensors.of(array);
        }
        if (value instanceof NDManager) {
            return new Handle(0, "NDManager"); // the check's manager on the student's side
        }
        if (value instanceof Remote remote) {
            if (remote.handle() == null) {
                throw new IllegalArgumentException("a class view is no object to pass: " + remote);
            }
            return remote.handle();
        }
        if (value instanceof ModelFolder folder) {
            return new Open(Open.Kind.MODEL_FOLDER, folder.path().toString());
        }
        if (value instanceof Tokenizer tokenizer) {
            return new Open(Open.Kind.TOKENIZER, tokenizer.folder().toString());
        }
        if (value instanceof Set<?> set) {
            Set<Object> converted = new LinkedHashSet<>();
            set.forEach(e -> converted.add(toWire(e)));
            return converted;
        }
        if (value instanceof Collection<?> list) {
            List<Object> converted = new ArrayList<>();
            list.forEach(e -> converted.add(toWire(e)));
            return converted;
        }
        throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be sent to the student JVM");
    }

    // ---------------------------------------------------------------- from the student JVM

    private Object fromWire(Object value, Type declared, String label) {
        Class<?> raw = rawClass(declared);
        if (raw == void.class) {
            return null;
        }
        if (value == null) {
            if (raw.isPrimitive()) {
                throw new StudentFailure(Outcome.ERROR, label + " returned nothing where a " + raw + " belongs");
            }
            return null;
        }
        if (raw == NDArray.class) {
            if (value instanceof Tensor t) {
                return Tensors.array(t, results);
            }
            throw new WrongOutput(label + " returned " + describe(value) + ", not an NDArray",
                    List.of(CommonTag.SHAPE_MISMATCH), null, null);
        }
        if (raw == Object.class) {
            return raw(value);
        }
        if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw) || raw == Collection.class) {
            if (!(value instanceof Collection<?> elements)) {
                throw new WrongOutput(label + " returned " + describe(value) + ", not a collection");
            }
            Type element = declared instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            Collection<Object> converted = Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
            for (Object e : elements) {
                converted.add(fromWire(e, element, label));
            }
            return converted;
        }
        if (raw.isInterface() && value instanceof Handle handle) {
            return proxy(raw, owner(raw) != null ? owner(raw) : handle.type(), handle);
        }
        Class<?> boxed = BOXES.getOrDefault(raw, raw);
        if (boxed.isInstance(value)) {
            return value;
        }
        throw new WrongOutput(label + " returned " + describe(value) + ", not " + article(raw.getSimpleName()));
    }

    private Object raw(Object value) {
        if (value instanceof Tensor t) {
            return Tensors.array(t, results);
        }
        if (value instanceof Handle h) {
            return proxy(Remote.class, h.type(), h);
        }
        if (value instanceof Collection<?> list) {
            List<Object> converted = new ArrayList<>();
            list.forEach(e -> converted.add(raw(e)));
            return converted;
        }
        return value;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static String owner(Class<?> view) {
        StudentClass student = view.getAnnotation(StudentClass.class);
        if (student != null) {
            return student.value();
        }
        DriverClass driver = view.getAnnotation(DriverClass.class);
        return driver == null ? null : driver.value();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Tensor t) {
            return "an NDArray " + t;
        }
        if (value instanceof Handle h) {
            return "an object of " + h.type();
        }
        if (value instanceof Message m) {
            return "a message of kind " + m.getClass().getSimpleName();
        }
        return article(value.getClass().getSimpleName());
    }

    private static String article(String noun) {
        return ("AEIOUaeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
