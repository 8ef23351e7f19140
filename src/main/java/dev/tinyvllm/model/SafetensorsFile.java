package dev.tinyvllm.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw data. The header is checked whole when the file is
 * opened (offsets inside the file, sizes matching shapes, no overlaps), so a truncated or corrupt file
 * fails here with its name, not later inside a kernel. Tensor data is memory-mapped on demand.
 */
public final class SafetensorsFile implements Closeable {

    /** Headers larger than this are not model headers (the reference implementation uses 100 MB too). */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens a file and validates its header. */
    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(path + ": no such safetensors file");
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot open: " + e.getMessage(), e);
        }
        try {
            SafetensorsFile file = parse(path, channel);
            return file;
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel channel) {
        try {
            long size = channel.size();
            if (size < 8) {
                throw new ModelFormatException(path + ": truncated safetensors file (" + size
                        + " bytes; even the 8-byte header length is missing)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
                throw new ModelFormatException(path + ": not a safetensors file (header length " + headerLen
                        + " is out of range)");
            }
            if (8 + headerLen > size) {
                throw new ModelFormatException(path + ": truncated safetensors file: the header needs "
                        + headerLen + " bytes but only " + (size - 8) + " follow");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(channel, headerBuf, 8);
            String header = new String(headerBuf.array(), StandardCharsets.UTF_8);
            JsonNode root;
            try {
                root = JSON.readTree(header);
            } catch (JsonProcessingException e) {
                throw new ModelFormatException(path + ": corrupt safetensors header (not JSON): " + e.getOriginalMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new ModelFormatException(path + ": corrupt safetensors header (not a JSON object)");
            }
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), tensor(path, e.getKey(), e.getValue(), dataStart, dataSize));
            }
            checkNoOverlap(path, tensors.values());
            return new SafetensorsFile(path, channel, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static TensorInfo tensor(Path path, String name, JsonNode n, long dataStart, long dataSize) {
        String where = path + ": tensor \"" + name + "\"";
        DType dtype = DType.fromName(n.path("dtype").asText(""));
        if (dtype == null) {
            throw new ModelFormatException(where + " has an unknown dtype " + n.get("dtype"));
        }
        JsonNode shapeNode = n.get("shape");
        JsonNode offsets = n.get("data_offsets");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new ModelFormatException(where + " has no shape");
        }
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new ModelFormatException(where + " has no valid data_offsets [begin, end]");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || d.longValue() < 0) {
                throw new ModelFormatException(where + " has an invalid dimension " + d);
            }
            shape[i] = d.longValue();
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                throw new ModelFormatException(where + " has an impossible shape " + shapeNode);
            }
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw new ModelFormatException(where + " has invalid data_offsets [" + begin + ", " + end + "]");
        }
        if (end - begin != count * dtype.bytes()) {
            throw new ModelFormatException(where + " is corrupt: shape " + shapeNode + " of " + dtype + " needs "
                    + count * dtype.bytes() + " bytes but its offsets span " + (end - begin));
        }
        if (end > dataSize) {
            throw new ModelFormatException(path + ": truncated safetensors file: tensor \"" + name + "\" ends at byte "
                    + end + " of the data but the file holds only " + dataSize + " bytes of data");
        }
        return new TensorInfo(name, dtype, shape, path, dataStart + begin, end - begin);
    }

    private static void checkNoOverlap(Path path, java.util.Collection<TensorInfo> all) {
        List<TensorInfo> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(TensorInfo::start));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1);
            TensorInfo b = sorted.get(i);
            if (a.start() + a.byteLength() > b.start()) {
                throw new ModelFormatException(path + ": corrupt safetensors header: tensors \"" + a.name()
                        + "\" and \"" + b.name() + "\" overlap");
            }
        }
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** Tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The header's {@code __metadata__} entries. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Maps one tensor's bytes read-only, little-endian. A single mapping is limited to 2 GiB, which is more
     * than any tensor of the models this engine targets; larger tensors get a clear error.
     */
    public ByteBuffer map(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException(path + ": no tensor named \"" + name + "\"");
        }
        if (t.byteLength() > Integer.MAX_VALUE) {
            throw new ModelFormatException(path + ": tensor \"" + name + "\" has " + t.byteLength()
                    + " bytes; tensors over 2 GiB cannot be mapped in one piece");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, t.start(), t.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot map tensor \"" + name + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing a read-only channel cannot lose data.
        }
    }
}
