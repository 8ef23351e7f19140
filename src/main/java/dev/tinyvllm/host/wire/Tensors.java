package dev.tinyvllm.host.wire;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** NDArrays to and from their travelling form; each side makes its own arrays on its own manager. */
public final class Tensors {

    private Tensors() {}

    /** The array's values, copied off its device when it has one. */
    public static Tensor of(NDArray array) {
        NDArray cpu = array.getDevice().equals(Device.cpu()) ? array : array.toDevice(Device.cpu(), true);
        String dtype = cpu.getDataType().name();
        if (Tensor.width(dtype) < 0) {
            throw new IllegalArgumentException("an NDArray of type " + dtype + ", which the checks do not read");
        }
        ByteBuffer buffer = cpu.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] data = new byte[buffer.remaining()];
        buffer.get(data);
        return new Tensor(dtype, cpu.getShape().getShape(), data);
    }

    public static NDArray array(Tensor tensor, NDManager manager) {
        ByteBuffer data = manager.allocateDirect(tensor.data().length);
        data.put(tensor.data());
        data.rewind();
        return manager.create(data, new Shape(tensor.shape()), DataType.valueOf(tensor.dtype()));
    }
}
