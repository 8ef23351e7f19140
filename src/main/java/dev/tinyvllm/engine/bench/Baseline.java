package dev.tinyvllm.engine.bench;

import java.nio.file.Path;

/**
 * Another implementation of the same model, which the bench times beside the engine under the engine's
 * own rules (a warm-up, then the median decode step, best of two trials). The engine only defines what it
 * needs; the tutor supplies libtorch from outside the engine, so that the engine links neither DJL nor
 * the oracles.
 */
public interface Baseline {

    /** How reports and progress lines call it, for example {@code libtorch}. */
    String name();

    /** How it holds the weights, for the report, for example {@code float32}. */
    String precision();

    /** Loads the model of a Hugging Face folder; called once the engine's own copy has been let go. */
    Model load(Path folder);

    /** A loaded model. */
    interface Model extends AutoCloseable {

        /** A new request with an empty key/value cache. */
        Session newSession();

        @Override
        void close();
    }

    /** One request: each call runs only the tokens after those it has already run. */
    interface Session extends AutoCloseable {

        /** Runs {@code tokens} and returns the logits of the last of them. */
        float[] next(int[] tokens);

        @Override
        void close();
    }
}
