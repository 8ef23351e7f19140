package dev.tinyvllm.engine.kernels;

/** float32 weights. */
public record F32Matrix(float[] data, int rows, int cols) implements Matrix {

    public F32Matrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(data.length + " floats for a " + rows + "x" + cols + " matrix");
        }
    }

    @Override
    public long bytes() {
        return 4L * data.length;
    }

    @Override
    public void row(int r, float[] out, int offset) {
        System.arraycopy(data, r * cols, out, offset, cols);
    }

    @Override
    public String format() {
        return "f32";
    }
}
