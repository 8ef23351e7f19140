package dev.tinyvllm.baseline;

import dev.tinyvllm.engine.bench.Baseline;
import dev.tinyvllm.oracle.Qwen2Oracle;
import java.nio.file.Path;

/**
 * libtorch (through DJL) as the baseline of {@code tutor engine bench}: the oracle's Qwen2 forward pass
 * in float32, with a key/value cache per request. It sits outside the engine and outside the oracles,
 * wired in by the command, because the engine must not depend on either.
 */
public final class LibtorchBaseline implements Baseline {

    @Override
    public String name() {
        return "libtorch";
    }

    @Override
    public String precision() {
        return "float32";
    }

    @Override
    public Model load(Path folder) {
        Qwen2Oracle oracle = Qwen2Oracle.load(folder);
        return new Model() {
            @Override
            public Session newSession() {
                return new TorchSession(oracle.newSession());
            }

            @Override
            public void close() {
                oracle.close();
            }
        };
    }

    private record TorchSession(Qwen2Oracle.Session session) implements Session {

        @Override
        public float[] next(int[] tokens) {
            return session.forward(tokens, false)[0];
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
