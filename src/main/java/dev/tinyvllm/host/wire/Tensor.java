package dev.tinyvllm.host.wire;

import java.util.Arrays;

/**
 * An array's values as they travel: DJL's type name, the shape, and the values in little-endian order.
 * Both JVMs build NDArrays from it on their own managers; nothing of libtorch crosses.
 */
public record Tensor(String dtype, long[] shape, byte[] data) {

    /** Bytes per value of the types that may travel. */
    static int width(String dtype) {
        return switch (dtype) {
            case "FLOAT64", "INT64" -> 8;
            case "FLOAT32", "INT32" -> 4;
            case "FLOAT16", "BFLOAT16", "INT16" -> 2;
            case "BOOLEAN", "INT8", "UINT8" -> 1;
            default -> -1;
        };
    }

    /** A tensor read off the wire: a known type, no negative dimension, as many bytes as the shape says. */
    static Tensor checked(String dtype, long[] shape, byte[] data) throws WireException {
        int width = width(dtype);
        if (width < 0) {
            throw new WireException("an array of unknown type " + dtype);
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new WireException("an array of shape " + Arrays.toString(shape));
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new WireException("an array of shape " + Arrays.toString(shape) + ", too large");
            }
        }
        if (count * width != data.length) {
            throw new WireException("an array of shape " + Arrays.toString(shape) + " and type " + dtype + " with "
                    + data.length + " bytes");
        }
        return new Tensor(dtype, shape, data);
    }

    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
