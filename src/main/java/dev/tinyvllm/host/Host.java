package dev.tinyvllm.host;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.host.Failures.StudentFailure;
import dev.tinyvllm.host.wire.Handle;
import dev.tinyvllm.host.wire.Message;
import dev.tinyvllm.host.wire.Open;
import dev.tinyvllm.host.wire.Tensor;
import dev.tinyvllm.host.wire.Tensors;
import dev.tinyvllm.student.ModelFolder;
import dev.tinyvllm.student.Tokenizer;
import java.lang.reflect.Array;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The student JVM's side of a check: loads the student's classes, makes the arguments the judge sends
 * into NDArrays and objects, calls the student's code, and sends back what it returned (values, or
 * handles to the objects it made). It decides nothing: every verdict is the judge's.
 */
public final class Host {

    /** Classes of the tutor that checks may create in the student JVM: public fixtures, never a reference. */
    private static final Pattern DRIVER = Pattern.compile(
            "dev\\.tinyvllm\\.host\\.fixtures\\.[A-Za-z0-9_$]+|dev\\.tinyvllm\\.steps\\.[a-z0-9_]+\\.[a-z0-9_]+\\.driver\\.[A-Za-z0-9_$]+");

    private static final Map<String, Class<?>> PRIMITIVES = Map.of("int", int.class, "long", long.class,
            "float", float.class, "double", double.class, "boolean", boolean.class, "byte", byte.class,
            "short", short.class, "char", char.class);

    private final ClassLoader application;
    private final NDManager base;
    private StudentLoader loader;
    private OutputCapture capture;
    private NDManager check;
    /** Objects the judge may name; id 0 is the check's manager. */
    private final List<Object> handles = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    /**
     * @param application loads the student API, DJL and the fixtures
     * @param capture whether to take over System.out and System.err (the student JVM does; a test in
     *     its own JVM does not)
     */
    public Host(ClassLoader application, NDManager base, boolean capture) {
        this.application = application;
        this.base = base;
        this.capture = capture ? null : OutputCapture.none();
    }

    /** Answers one request. */
    public Message handle(Message request) {
        if (request instanceof Message.Call call) {
            return call(call);
        } else if (request instanceof Message.Begin begin) {
            return begin(begin);
        } else if (request instanceof Message.End) {
            return end();
        } else if (request instanceof Message.Load load) {
            return load(load);
        }
        return new Message.Failed(-1, "ERROR", "the student JVM was sent a " + request.getClass().getSimpleName());
    }

    private Message load(Message.Load load) {
        if (loader == null) {
            loader = new StudentLoader(load.classDirs().stream().map(Path::of).toList(), application);
            if (capture == null) {
                capture = OutputCapture.install();
            }
        }
        return new Message.Loaded();
    }

    private Message begin(Message.Begin begin) {
        release();
        Device device = begin.device() == null ? Device.cpu() : Device.fromName(begin.device());
        check = base.newSubManager(device);
        handles.add(check);
        capture.take(); // what was printed between checks belongs to none
        return new Message.Began();
    }

    private Message end() {
        release();
        return new Message.Ended(capture.take());
    }

    private void release() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception | LinkageError e) {
                // The student's code may have closed it already.
            }
        }
        opened.clear();
        handles.clear();
        if (check != null) {
            try {
                check.close();
            } catch (RuntimeException e) {
                // Closed by the student's code already.
            }
            check = null;
        }
    }

    private Message call(Message.Call call) {
        try {
            if (loader == null || check == null) {
                throw StudentFailure.error("the student JVM was called outside a check");
            }
            return new Message.Returned(call.id(), toWire(invoke(call), label(call)));
        } catch (StudentFailure f) {
            return new Message.Failed(call.id(), f.outcome, f.getMessage());
        }
    }

    private Object invoke(Message.Call call) throws StudentFailure {
        Class<?>[] types = new Class<?>[call.params().size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = type(call.params().get(i));
        }
        if (call.args().size() != types.length) {
            throw StudentFailure.error("a call of " + call.method() + " with " + call.args().size() + " arguments for "
                    + types.length + " parameters");
        }
        Object[] args = new Object[types.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = fromWire(call.args().get(i), types[i]);
        }
        return switch (call.target()) {
            case STATIC -> StudentCalls.callStatic(type(call.owner()), call.method(), types, args);
            case NEW -> StudentCalls.construct(type(call.owner()), types, args);
            case INSTANCE -> StudentCalls.callInstance(handle(call.handle()), call.method(), types, args);
        };
    }

    /** A type by name: a primitive, an array, a fixture of the tutor's, or what the student's code sees. */
    private Class<?> type(String name) throws StudentFailure {
        Class<?> primitive = PRIMITIVES.get(name);
        if (primitive != null) {
            return primitive;
        }
        if (name.endsWith("[]")) {
            return Array.newInstance(type(name.substring(0, name.length() - 2)), 0).getClass();
        }
        Class<?> type;
        try {
            type = DRIVER.matcher(name).matches() ? Class.forName(name, false, application)
                    : Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw StudentFailure.error("cannot load " + name + ": " + e);
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw StudentFailure.error(name + " must be a public class");
        }
        return type;
    }

    private Object handle(int id) throws StudentFailure {
        if (id < 0 || id >= handles.size()) {
            throw StudentFailure.error("no object " + id + " in this check");
        }
        return handles.get(id);
    }

    // ---------------------------------------------------------------- values

    private Object fromWire(Object value, Class<?> type) throws StudentFailure {
        if (value instanceof Tensor t) {
            return Tensors.array(t, check);
        }
        if (value instanceof Handle h) {
            return handle(h.id());
        }
        if (value instanceof Open o) {
            AutoCloseable folder = switch (o.kind()) {
                case MODEL_FOLDER -> ModelFolder.open(Path.of(o.path()));
                case TOKENIZER -> Tokenizer.load(Path.of(o.path()));
            };
            opened.add(folder);
            return folder;
        }
        if (value instanceof List<?> list) {
            List<Object> elements = new ArrayList<>();
            for (Object e : list) {
                elements.add(fromWire(e, Object.class));
            }
            return Set.class.isAssignableFrom(type) ? new LinkedHashSet<>(elements) : elements;
        }
        if (value instanceof Set<?> set) {
            Set<Object> elements = new LinkedHashSet<>();
            for (Object e : set) {
                elements.add(fromWire(e, Object.class));
            }
            return elements;
        }
        return value;
    }

    /** What the student's code returned, as the wire carries it: values as they are, objects as handles. */
    private Object toWire(Object value, String label) throws StudentFailure {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Float || value instanceof Double || value instanceof int[]
                || value instanceof long[] || value instanceof float[] || value instanceof boolean[]
                || value instanceof int[][]) {
            return value;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Character c) {
            return String.valueOf(c);
        }
        if (value instanceof NDArray array) {
            return tensor(array, label);
        }
        if (value instanceof NDList list) {
            List<Object> tensors = new ArrayList<>();
            for (NDArray a : list) {
                tensors.add(tensor(a, label));
            }
            return tensors;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> elements = new ArrayList<>();
            for (Object e : collection) {
                elements.add(toWire(e, label));
            }
            return value instanceof Set<?> ? new LinkedHashSet<>(elements) : elements;
        }
        handles.add(value);
        return new Handle(handles.size() - 1, value.getClass().getName());
    }

    private static Tensor tensor(NDArray array, String label) throws StudentFailure {
        if (array.isReleased()) {
            throw StudentFailure.error(label + " returned an NDArray whose manager was already closed: an array lives "
                    + "only as long as the NDManager that made it");
        }
        try {
            return Tensors.of(array);
        } catch (IllegalArgumentException e) {
            throw StudentFailure.error(label + " returned " + e.getMessage());
        } catch (RuntimeException e) {
            if (Failures.closedManager(e)) {
                throw StudentFailure.error(label + " returned an NDArray whose manager was already closed");
            }
            throw StudentFailure.error(label + " returned an NDArray that cannot be read: " + e);
        }
    }

    private static String label(Message.Call call) {
        return call.target() == Message.Target.NEW ? "the " + simple(call.owner()) + " constructor" : call.method();
    }

    private static String simple(String className) {
        return className == null ? "?" : className.substring(className.lastIndexOf('.') + 1);
    }

}
