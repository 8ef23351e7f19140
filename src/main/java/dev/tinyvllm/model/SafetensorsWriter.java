package dev.tinyvllm.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code .safetensors} file. Tensors are produced chunk by chunk while writing, so a model of any
 * size can be written without holding it in memory. The file appears under its name only when complete.
 */
public final class SafetensorsWriter {

    /** Fills {@code chunk} with the tensor's elements {@code start .. start + chunk.length - 1} (row-major). */
    @FunctionalInterface
    public interface Source {
        void fill(long start, float[] chunk);
    }

    /** One tensor to write: values come from {@code source} and are stored as {@code dtype}. */
    public record Entry(String name, DType dtype, long[] shape, Source source) {
        public Entry {
            if (!dtype.isFloat16or32()) {
                throw new IllegalArgumentException("only F32, BF16 and F16 tensors can be written");
            }
            shape = shape.clone();
        }

        /** A tensor holding the given values. */
        public static Entry of(String name, DType dtype, float[] values, long... shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + java.util.Arrays.toString(shape));
            }
            return new Entry(name, dtype, shape, (start, chunk) -> System.arraycopy(values, (int) start, chunk, 0, chunk.length));
        }

        long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final int CHUNK = 1 << 20;

    private SafetensorsWriter() {}

    /** Writes the tensors in the given order. */
    public static void write(Path file, List<Entry> entries, Map<String, String> metadata) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode t = header.putObject(e.name());
            t.put("dtype", e.dtype().name());
            var shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            long bytes = e.count() * e.dtype().bytes();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        // The data starts 8-byte aligned, padded with spaces as the reference writer does.
        int padded = (headerBytes.length + 7) / 8 * 8;
        byte[] headerPadded = new byte[padded];
        java.util.Arrays.fill(headerPadded, (byte) ' ');
        System.arraycopy(headerBytes, 0, headerPadded, 0, headerBytes.length);

        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
            out.write(len.array());
            out.write(headerPadded);
            List<Entry> order = new ArrayList<>(entries);
            for (Entry e : order) {
                writeData(out, e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeData(OutputStream out, Entry e) throws IOException {
        long total = e.count();
        int size = e.dtype().bytes();
        float[] chunk = new float[(int) Math.min(CHUNK, Math.max(total, 1))];
        ByteBuffer bytes = ByteBuffer.allocate(chunk.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (long start = 0; start < total; start += chunk.length) {
            int n = (int) Math.min(chunk.length, total - start);
            float[] part = n == chunk.length ? chunk : new float[n];
            e.source().fill(start, part);
            bytes.clear();
            for (int i = 0; i < n; i++) {
                switch (e.dtype()) {
                    case F32 -> bytes.putFloat(part[i]);
                    case BF16 -> bytes.putShort(DType.floatToBf16(part[i]));
                    case F16 -> bytes.putShort(DType.floatToF16(part[i]));
                    default -> throw new IllegalStateException();
                }
            }
            out.write(bytes.array(), 0, n * size);
        }
    }
}
