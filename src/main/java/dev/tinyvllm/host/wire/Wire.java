package dev.tinyvllm.host.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The values that cross between the judge and the student JVM, and the frames that carry them.
 *
 * <p>A frame is a 4-byte length and that many bytes. A value is a one-byte kind and its content. The
 * judge reads what the student JVM writes, so reading never trusts a length: every count is checked
 * against the bytes that are left before anything is allocated, nesting is bounded, and anything
 * unexpected is a {@link WireException}, never another exception.
 */
public final class Wire {

    /** The largest frame either side accepts. A reply past it is refused, not read. */
    public static final int MAX_FRAME = 256 << 20;

    private static final int MAX_DEPTH = 8;

    private static final byte NULL = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte FLOAT = 5;
    private static final byte DOUBLE = 6;
    private static final byte STRING = 7;
    private static final byte INTS = 8;
    private static final byte LONGS = 9;
    private static final byte FLOATS = 10;
    private static final byte BOOLEANS = 11;
    private static final byte TENSOR = 12;
    private static final byte LIST = 13;
    private static final byte SET = 14;
    private static final byte HANDLE = 15;
    private static final byte OPEN = 16;
    private static final byte INT_ROWS = 17;

    private Wire() {}

    /** Writes one frame: its length, then its bytes, then flushes. */
    public static void writeFrame(OutputStream out, byte[] frame) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(frame.length);
        data.write(frame);
        data.flush();
    }

    /**
     * Reads one frame.
     *
     * @return null at the end of the stream, when it ends between frames
     */
    public static byte[] readFrame(InputStream in, int maxBytes) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            return null;
        }
        int length = (first << 24) | (data.readUnsignedByte() << 16) | (data.readUnsignedByte() << 8)
                | data.readUnsignedByte();
        if (length < 0 || length > maxBytes) {
            throw new WireException("a frame of " + Integer.toUnsignedString(length) + " bytes, over the limit of "
                    + maxBytes);
        }
        byte[] frame = new byte[length];
        data.readFully(frame);
        return frame;
    }

    /** A frame's content as it is built. */
    public static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        public Writer kind(byte kind) throws IOException {
            out.writeByte(kind);
            return this;
        }

        public Writer value(Object value) throws IOException {
            write(out, value, 0);
            return this;
        }

        public byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** A frame's content as it is read. */
    public static final class Reader {
        private final byte[] frame;
        private final DataInputStream in;

        public Reader(byte[] frame) {
            this.frame = frame;
            this.in = new DataInputStream(new ByteArrayInputStream(frame));
        }

        public byte kind() throws WireException {
            try {
                return in.readByte();
            } catch (IOException e) {
                throw new WireException("an empty frame");
            }
        }

        public Object value() throws WireException {
            try {
                return read(in, 0);
            } catch (WireException e) {
                throw e;
            } catch (EOFException e) {
                throw new WireException("a frame that ends inside a value");
            } catch (IOException | RuntimeException e) {
                throw new WireException("an unreadable value: " + e);
            }
        }

        public <T> T value(Class<T> type) throws WireException {
            Object v = value();
            if (v != null && !type.isInstance(v)) {
                throw new WireException("a " + v.getClass().getSimpleName() + " where a " + type.getSimpleName()
                        + " belongs");
            }
            return type.cast(v);
        }

        public int intValue() throws WireException {
            Integer v = value(Integer.class);
            if (v == null) {
                throw new WireException("null where a number belongs");
            }
            return v;
        }

        public String string() throws WireException {
            return value(String.class);
        }

        @SuppressWarnings("unchecked")
        public List<Object> list() throws WireException {
            return value(List.class);
        }

        /** Fails unless every byte of the frame was read. */
        public void end() throws WireException {
            try {
                if (in.available() > 0) {
                    throw new WireException("a frame with " + in.available() + " bytes after its last value");
                }
            } catch (IOException e) {
                throw new WireException(e.toString());
            }
        }

        public int size() {
            return frame.length;
        }
    }

    private static void write(DataOutputStream out, Object v, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("values nested deeper than " + MAX_DEPTH);
        }
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (v instanceof int[] a) {
            out.writeByte(INTS);
            out.writeInt(a.length);
            for (int x : a) {
                out.writeInt(x);
            }
        } else if (v instanceof long[] a) {
            out.writeByte(LONGS);
            writeLongs(out, a);
        } else if (v instanceof float[] a) {
            out.writeByte(FLOATS);
            out.writeInt(a.length);
            for (float x : a) {
                out.writeFloat(x);
            }
        } else if (v instanceof boolean[] a) {
            out.writeByte(BOOLEANS);
            out.writeInt(a.length);
            for (boolean x : a) {
                out.writeBoolean(x);
            }
        } else if (v instanceof int[][] rows) {
            out.writeByte(INT_ROWS);
            out.writeInt(rows.length);
            for (int[] row : rows) {
                write(out, row, depth + 1);
            }
        } else if (v instanceof Tensor t) {
            out.writeByte(TENSOR);
            write(out, t.dtype(), depth + 1);
            writeLongs(out, t.shape());
            out.writeInt(t.data().length);
            out.write(t.data());
        } else if (v instanceof Set<?> set) {
            out.writeByte(SET);
            writeElements(out, List.copyOf(set), depth);
        } else if (v instanceof List<?> list) {
            out.writeByte(LIST);
            writeElements(out, list, depth);
        } else if (v instanceof Handle h) {
            out.writeByte(HANDLE);
            out.writeInt(h.id());
            write(out, h.type(), depth + 1);
        } else if (v instanceof Open o) {
            out.writeByte(OPEN);
            write(out, o.kind().name(), depth + 1);
            write(out, o.path(), depth + 1);
        } else {
            throw new IOException("no wire form for " + v.getClass().getName());
        }
    }

    private static void writeLongs(DataOutputStream out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long x : a) {
            out.writeLong(x);
        }
    }

    private static void writeElements(DataOutputStream out, List<?> list, int depth) throws IOException {
        out.writeInt(list.size());
        for (Object e : list) {
            write(out, e, depth + 1);
        }
    }

    private static Object read(DataInputStream in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new WireException("values nested deeper than " + MAX_DEPTH);
        }
        byte kind = in.readByte();
        return switch (kind) {
            case NULL -> null;
            case TRUE -> true;
            case FALSE -> false;
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case STRING -> new String(bytes(in, count(in, 1)), StandardCharsets.UTF_8);
            case INTS -> {
                int[] a = new int[count(in, 4)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readInt();
                }
                yield a;
            }
            case LONGS -> readLongs(in);
            case FLOATS -> {
                float[] a = new float[count(in, 4)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readFloat();
                }
                yield a;
            }
            case BOOLEANS -> {
                boolean[] a = new boolean[count(in, 1)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readBoolean();
                }
                yield a;
            }
            case INT_ROWS -> {
                int[][] rows = new int[count(in, 5)][];
                for (int i = 0; i < rows.length; i++) {
                    Object row = read(in, depth + 1);
                    if (!(row instanceof int[] r)) {
                        throw new WireException("a row of ids that is not a list of ids");
                    }
                    rows[i] = r;
                }
                yield rows;
            }
            case TENSOR -> {
                Object dtype = read(in, depth + 1);
                if (!(dtype instanceof String d)) {
                    throw new WireException("a tensor without a type");
                }
                long[] shape = readLongs(in);
                byte[] data = bytes(in, count(in, 1));
                yield Tensor.checked(d, shape, data);
            }
            case LIST -> readElements(in, depth);
            case SET -> new LinkedHashSet<>(readElements(in, depth));
            case HANDLE -> {
                int id = in.readInt();
                Object type = read(in, depth + 1);
                if (!(type instanceof String t)) {
                    throw new WireException("a handle without a type");
                }
                yield new Handle(id, t);
            }
            case OPEN -> {
                Object kindName = read(in, depth + 1);
                Object path = read(in, depth + 1);
                if (!(kindName instanceof String k) || !(path instanceof String p)) {
                    throw new WireException("a folder reference without a kind or a path");
                }
                try {
                    yield new Open(Open.Kind.valueOf(k), p);
                } catch (IllegalArgumentException e) {
                    throw new WireException("an unknown folder kind " + k);
                }
            }
            default -> throw new WireException("an unknown value kind " + kind);
        };
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        long[] a = new long[count(in, 8)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readLong();
        }
        return a;
    }

    private static List<Object> readElements(DataInputStream in, int depth) throws IOException {
        int n = count(in, 1);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(read(in, depth + 1));
        }
        return list;
    }

    /** A count of elements of at least {@code minBytes} each, checked against what is left. */
    private static int count(DataInputStream in, int minBytes) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * minBytes > in.available()) {
            throw new WireException("a count of " + n + " that the frame cannot hold");
        }
        return n;
    }

    private static byte[] bytes(DataInputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
