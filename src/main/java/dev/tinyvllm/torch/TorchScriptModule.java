package dev.tinyvllm.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A TorchScript module written from Java source (see {@link TorchScriptArchive}), loaded at its first
 * call and kept for the life of the process: loading compiles its source (tens of milliseconds),
 * calling it costs one JNI round trip. A call's arguments are freed when it returns, and its result
 * is attached to the caller's manager, so it is freed with the caller's other arrays.
 */
public final class TorchScriptModule {

    private final String className;
    private final String methods;
    private final String what;
    private volatile PtSymbolBlock module;

    /**
     * @param className the TorchScript class, as {@code methods} names it in {@code __torch__.<className>}
     * @param methods the module's methods, TorchScript source indented as a class body
     * @param what names the module in the error when it cannot load
     */
    public TorchScriptModule(String className, String methods, String what) {
        this.className = className;
        this.methods = methods;
        this.what = what;
    }

    /** Runs {@code method} on the arguments, closing them afterwards; the result belongs to {@code manager}. */
    public NDArray call(NDManager manager, String method, IValue... args) {
        try (IValue result = IValueUtils.runMethod(module(), method, args)) {
            return result.toTensor((PtNDManager) manager);
        } finally {
            for (IValue arg : args) {
                arg.close();
            }
        }
    }

    public static IValue tensor(NDArray array) {
        if (!(array instanceof PtNDArray)) {
            throw new IllegalArgumentException("expected a PyTorch NDArray, got " + array.getClass().getName());
        }
        return IValue.from((PtNDArray) array);
    }

    private PtSymbolBlock module() {
        PtSymbolBlock block = module;
        if (block == null) {
            synchronized (this) {
                block = module;
                if (block == null) {
                    module = block = load();
                }
            }
        }
        return block;
    }

    private PtSymbolBlock load() {
        // The module outlives every caller's manager; it is freed with the process.
        PtNDManager owner = (PtNDManager) Engine.getEngine("PyTorch").newBaseManager();
        byte[] archive = TorchScriptArchive.write(className, methods);
        try {
            return JniUtils.loadModule(owner, new ByteArrayInputStream(archive), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the " + what + " TorchScript module", e);
        }
    }
}
