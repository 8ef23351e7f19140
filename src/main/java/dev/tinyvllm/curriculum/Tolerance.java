package dev.tinyvllm.curriculum;

/** allclose semantics: |actual - expected| &lt;= atol + rtol * |expected|. */
public record Tolerance(double rtol, double atol) {

    public boolean close(double actual, double expected) {
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    @Override
    public String toString() {
        return "rtol " + rtol + ", atol " + atol;
    }
}
