package dev.tinyvllm.engine.kernels;

/**
 * Plain Java kernels, used where the Vector API module is absent. They accumulate in a different order
 * than the vector kernels, so results agree to rounding, not bit for bit.
 */
public final class ScalarKernels extends Kernels {

    public ScalarKernels(Parallel parallel) {
        super(parallel);
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    protected void rows(Matrix w, float[] x, int t0, int t1, float[] out, int r0, int r1) {
        int cols = w.cols();
        int rows = w.rows();
        for (int r = r0; r < r1; r++) {
            for (int t = t0; t < t1; t++) {
                int xo = t * cols;
                float s = 0;
                if (w instanceof F32Matrix m) {
                    float[] d = m.data();
                    int wo = r * cols;
                    for (int c = 0; c < cols; c++) {
                        s += d[wo + c] * x[xo + c];
                    }
                } else if (w instanceof Bf16Matrix m) {
                    for (int c = 0; c < cols; c++) {
                        s += m.get(r, c) * x[xo + c];
                    }
                } else if (w instanceof Q8Matrix m) {
                    byte[] q = m.quants();
                    float[] sc = m.scales();
                    int groups = Q8Matrix.groupsPerRow(cols);
                    int wo = r * cols;
                    for (int c = 0; c < cols; c++) {
                        s += q[wo + c] * sc[r * groups + c / Q8Matrix.GROUP] * x[xo + c];
                    }
                }
                out[t * rows + r] = s;
            }
        }
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }
}
