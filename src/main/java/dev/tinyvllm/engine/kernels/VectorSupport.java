package dev.tinyvllm.engine.kernels;

/** Whether the Vector API module was added to this JVM ({@code --add-modules jdk.incubator.vector}). */
public final class VectorSupport {

    private VectorSupport() {}

    public static boolean available() {
        if (Boolean.getBoolean("tinyvllm.scalar")) {
            return false;
        }
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
