package dev.tinyvllm.model;

import java.util.Arrays;

/**
 * One tensor in a safetensors file.
 *
 * @param name the tensor's name
 * @param dtype its element type
 * @param shape its dimensions
 * @param file the file it lives in
 * @param start absolute byte offset of its data in that file
 * @param byteLength bytes of data
 */
public record TensorInfo(String name, DType dtype, long[] shape, java.nio.file.Path file, long start, long byteLength) {

    public TensorInfo {
        shape = shape.clone();
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as "[896, 4864]". */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && t.file.equals(file) && t.start == start && t.byteLength == byteLength;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeText();
    }
}
