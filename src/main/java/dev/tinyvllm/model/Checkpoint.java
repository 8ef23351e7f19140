package dev.tinyvllm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * All safetensors weights of a model folder: {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json}, or else every {@code *.safetensors} file in the folder.
 *
 * <p>Reads go through a memory mapping of one tensor at a time straight into the array the caller keeps,
 * so loading never holds a second copy of the weights on the Java heap.
 */
public final class Checkpoint implements Closeable {

    public static final String INDEX = "model.safetensors.index.json";
    public static final String SINGLE = "model.safetensors";

    private final Path folder;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private Checkpoint(Path folder, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.folder = folder;
        this.files = files;
        this.byTensor = byTensor;
    }

    /** Opens the weights of a model folder. */
    public static Checkpoint open(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelFormatException(folder + ": not a model folder (no such directory)");
        }
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            Path index = folder.resolve(INDEX);
            if (Files.exists(index)) {
                Map<String, String> weightMap = readIndex(index);
                Map<String, SafetensorsFile> opened = new TreeMap<>();
                for (String shard : weightMap.values()) {
                    if (!opened.containsKey(shard)) {
                        SafetensorsFile f = SafetensorsFile.open(folder.resolve(shard));
                        opened.put(shard, f);
                        files.add(f);
                    }
                }
                for (Map.Entry<String, String> e : weightMap.entrySet()) {
                    SafetensorsFile f = opened.get(e.getValue());
                    if (!f.tensors().containsKey(e.getKey())) {
                        throw new ModelFormatException(index + ": lists tensor \"" + e.getKey() + "\" in "
                                + e.getValue() + ", but that file has no such tensor");
                    }
                    byTensor.put(e.getKey(), f);
                }
            } else {
                List<Path> paths;
                if (Files.exists(folder.resolve(SINGLE))) {
                    paths = List.of(folder.resolve(SINGLE));
                } else {
                    try (Stream<Path> s = Files.list(folder)) {
                        paths = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
                    }
                }
                if (paths.isEmpty()) {
                    throw new ModelFormatException(folder + ": no weights (expected model.safetensors, "
                            + INDEX + " or *.safetensors files)");
                }
                for (Path p : paths) {
                    SafetensorsFile f = SafetensorsFile.open(p);
                    files.add(f);
                    for (String name : f.tensors().keySet()) {
                        SafetensorsFile before = byTensor.put(name, f);
                        if (before != null) {
                            throw new ModelFormatException(folder + ": tensor \"" + name + "\" appears in both "
                                    + before.path().getFileName() + " and " + p.getFileName());
                        }
                    }
                }
            }
        } catch (RuntimeException | IOException e) {
            files.forEach(SafetensorsFile::close);
            if (e instanceof ModelFormatException m) {
                throw m;
            }
            throw new ModelFormatException(folder + ": cannot read the weights: " + e.getMessage(), e);
        }
        return new Checkpoint(folder, Collections.unmodifiableList(files), Collections.unmodifiableMap(byTensor));
    }

    private static Map<String, String> readIndex(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.size() == 0) {
            throw new ModelFormatException(index + ": has no \"weight_map\" object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String shard = e.getValue().asText("");
            if (!e.getValue().isTextual() || shard.isEmpty() || shard.contains("/") || shard.contains("\\")) {
                throw new ModelFormatException(index + ": tensor \"" + e.getKey() + "\" maps to an invalid file " + e.getValue());
            }
            out.put(e.getKey(), shard);
        }
        return out;
    }

    /** The model folder. */
    public Path folder() {
        return folder;
    }

    /** The files this checkpoint reads. */
    public List<SafetensorsFile> files() {
        return files;
    }

    /** Names of all tensors. */
    public java.util.Set<String> names() {
        return byTensor.keySet();
    }

    public boolean has(String name) {
        return byTensor.containsKey(name);
    }

    /** A tensor's description; a clear error when the checkpoint lacks it. */
    public TensorInfo info(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new ModelFormatException(folder + ": the weights have no tensor \"" + name + "\"");
        }
        return f.tensors().get(name);
    }

    /** A tensor's description after checking its shape. */
    public TensorInfo info(String name, long... expectedShape) {
        TensorInfo t = info(name);
        if (!java.util.Arrays.equals(t.shape(), expectedShape)) {
            throw new ModelFormatException(folder + ": tensor \"" + name + "\" has shape " + t.shapeText()
                    + " but the config needs " + java.util.Arrays.toString(expectedShape));
        }
        return t;
    }

    /** The tensor's bytes, memory-mapped, little-endian. */
    public ByteBuffer map(String name) {
        info(name);
        return byTensor.get(name).map(name);
    }

    /** Reads a float tensor (F32, BF16 or F16 on disk) as floats. */
    public float[] readFloats(String name) {
        TensorInfo t = info(name);
        float[] out = new float[Math.toIntExact(checkFloat(t).elementCount())];
        readFloats(name, out, 0);
        return out;
    }

    /** Reads a float tensor into {@code out} starting at {@code offset} (to assemble fused matrices). */
    public void readFloats(String name, float[] out, int offset) {
        TensorInfo t = checkFloat(info(name));
        int n = Math.toIntExact(t.elementCount());
        ByteBuffer b = map(name);
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().get(out, offset, n);
            case BF16 -> {
                java.nio.ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = DType.bf16ToFloat(s.get(i));
                }
            }
            case F16 -> {
                java.nio.ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = DType.f16ToFloat(s.get(i));
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Reads a float tensor as bfloat16 bits (exact for BF16 on disk, rounded for F32 and F16). */
    public void readBf16(String name, short[] out, int offset) {
        TensorInfo t = checkFloat(info(name));
        int n = Math.toIntExact(t.elementCount());
        ByteBuffer b = map(name);
        switch (t.dtype()) {
            case BF16 -> b.asShortBuffer().get(out, offset, n);
            case F32 -> {
                java.nio.FloatBuffer f = b.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = DType.floatToBf16(f.get(i));
                }
            }
            case F16 -> {
                java.nio.ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = DType.floatToBf16(DType.f16ToFloat(s.get(i)));
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private TensorInfo checkFloat(TensorInfo t) {
        if (!t.dtype().isFloat16or32()) {
            throw new ModelFormatException(t.file() + ": tensor \"" + t.name() + "\" is " + t.dtype()
                    + "; weights must be F32, BF16 or F16");
        }
        if (t.elementCount() > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(t.file() + ": tensor \"" + t.name() + "\" is too large for one array");
        }
        return t;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
