package dev.tinyvllm.host.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation between the judge and the student JVM, one message per frame. The judge asks
 * (load, begin, call, end); the student JVM answers each in turn, and says hello, ready and, when
 * student code ends the JVM, exiting. Nothing the student JVM says is a verdict: it only carries what
 * the student's code returned or threw.
 */
public sealed interface Message {

    /** The version both sides must speak. */
    int PROTOCOL = 1;

    byte[] encode();

    /** Reads a message; a frame that is not one is a {@link WireException}. */
    static Message decode(byte[] frame) throws WireException {
        Wire.Reader r = new Wire.Reader(frame);
        byte kind = r.kind();
        Message m = switch (kind) {
            case 1 -> new Hello(r.intValue(), longValue(r), r.string());
            case 2 -> new Ready(longValue(r));
            case 3 -> new Broken(r.string());
            case 4 -> new Load(strings(r.list()));
            case 5 -> new Loaded();
            case 6 -> new Begin(r.string(), r.string());
            case 7 -> new Began();
            case 8 -> new Call(r.intValue(), Target.of(r.string()), r.string(), r.intValue(), r.string(),
                    strings(r.list()), r.list());
            case 9 -> new Returned(r.intValue(), r.value());
            case 10 -> new Failed(r.intValue(), r.string(), r.string());
            case 11 -> new End();
            case 12 -> new Ended(r.string());
            case 13 -> new Exiting();
            default -> throw new WireException("an unknown message kind " + kind);
        };
        r.end();
        return m;
    }

    private static long longValue(Wire.Reader r) throws WireException {
        Long v = r.value(Long.class);
        if (v == null) {
            throw new WireException("null where a number belongs");
        }
        return v;
    }

    private static List<String> strings(List<Object> values) throws WireException {
        if (values == null) {
            throw new WireException("null where a list belongs");
        }
        List<String> strings = new ArrayList<>();
        for (Object v : values) {
            if (!(v instanceof String s)) {
                throw new WireException("a list of names holding a " + (v == null ? "null" : v.getClass().getSimpleName()));
            }
            strings.add(s);
        }
        return strings;
    }

    private static byte[] frame(int kind, Object... values) {
        try {
            Wire.Writer w = new Wire.Writer().kind((byte) kind);
            for (Object v : values) {
                w.value(v);
            }
            return w.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put a message on the wire", e);
        }
    }

    /**
     * The student JVM is up, speaking {@code protocol}; {@code uptimeMs} is its JVM's age when its main
     * began; {@code token} is the secret the judge gave it on its stdin, which no other process can know.
     */
    record Hello(int protocol, long uptimeMs, String token) implements Message {
        public byte[] encode() {
            return frame(1, protocol, uptimeMs, token);
        }
    }

    /** libtorch is loaded; student classes may come. */
    record Ready(long libtorchMs) implements Message {
        public byte[] encode() {
            return frame(2, libtorchMs);
        }
    }

    /** The student JVM cannot work (libtorch did not load): the tutor's problem, not the student's. */
    record Broken(String why) implements Message {
        public byte[] encode() {
            return frame(3, why);
        }
    }

    /** The student's compiled classes, ready to load. */
    record Load(List<String> classDirs) implements Message {
        public byte[] encode() {
            return frame(4, List.copyOf(classDirs));
        }
    }

    record Loaded() implements Message {
        public byte[] encode() {
            return frame(5);
        }
    }

    /**
     * A check starts: a fresh manager for its arrays, no objects left from the last one.
     *
     * @param device null for the CPU, else a DJL device name that {@code Device.fromName} reads, such as {@code gpu0}
     */
    record Begin(String check, String device) implements Message {
        public byte[] encode() {
            return frame(6, check, device);
        }
    }

    record Began() implements Message {
        public byte[] encode() {
            return frame(7);
        }
    }

    /** What a call is made on. */
    enum Target {
        /** A static method of {@code owner}. */
        STATIC,
        /** A public constructor of {@code owner}. */
        NEW,
        /** A method of the object behind {@code handle}. */
        INSTANCE;

        static Target of(String name) throws WireException {
            try {
                return valueOf(name);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new WireException("an unknown call target " + name);
            }
        }
    }

    /**
     * Calls student code (or a driver class of the step).
     *
     * @param params the parameter types by name: {@code int}, {@code int[]}, {@code ai.djl.ndarray.NDArray},
     *     or a class of the student's
     * @param args the values, in the wire's forms (a {@link Tensor} for an NDArray, a {@link Handle} for an
     *     object the student JVM holds, an {@link Open} for a folder)
     */
    record Call(int id, Target target, String owner, int handle, String method, List<String> params, List<Object> args)
            implements Message {
        public byte[] encode() {
            return frame(8, id, target.name(), owner, handle, method, List.copyOf(params), new ArrayList<>(args));
        }
    }

    record Returned(int id, Object value) implements Message {
        public byte[] encode() {
            return frame(9, id, value);
        }
    }

    /**
     * The call produced no value.
     *
     * @param outcome {@code NOT_IMPLEMENTED} (the skeleton's exception) or {@code ERROR}
     */
    record Failed(int id, String outcome, String message) implements Message {
        public byte[] encode() {
            return frame(10, id, outcome, message);
        }
    }

    record End() implements Message {
        public byte[] encode() {
            return frame(11);
        }
    }

    /** The check is over; what the student's code printed during it, cut to a limit. */
    record Ended(String output) implements Message {
        public byte[] encode() {
            return frame(12, output);
        }
    }

    /** Student code called System.exit: the JVM is going. */
    record Exiting() implements Message {
        public byte[] encode() {
            return frame(13);
        }
    }
}
