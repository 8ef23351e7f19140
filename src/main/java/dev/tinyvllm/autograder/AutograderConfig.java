package dev.tinyvllm.autograder;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tinyvllm.check.SandboxMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code autograder.json} at the bundle's root: what every submission is graded on.
 *
 * @param steps the step ids, in the order the results list them
 * @param timeoutSeconds the limit of one check, or null for each step's own
 * @param sandbox the isolation asked for; AUTO here means bubblewrap or a user of its own, never none
 */
public record AutograderConfig(String schema, int schemaVersion, String tutorVersion, List<String> steps,
        Integer timeoutSeconds, SandboxMode sandbox) {

    public static final String SCHEMA = "tiny-vllm-tutor/autograder";
    public static final int SCHEMA_VERSION = 1;
    /** Its name in the bundle, and so in the autograder's source folder. */
    public static final String FILE = "autograder.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public AutograderConfig {
        steps = List.copyOf(steps);
        sandbox = sandbox == null ? SandboxMode.AUTO : sandbox;
    }

    public static AutograderConfig of(String tutorVersion, List<String> steps, Integer timeoutSeconds,
            SandboxMode sandbox) {
        return new AutograderConfig(SCHEMA, SCHEMA_VERSION, tutorVersion, steps, timeoutSeconds, sandbox);
    }

    public static AutograderConfig read(Path file) {
        AutograderConfig config;
        try {
            config = JSON.readValue(file.toFile(), AutograderConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the autograder's " + file + ": " + e.getMessage(), e);
        }
        if (!SCHEMA.equals(config.schema()) || config.schemaVersion() != SCHEMA_VERSION || config.steps().isEmpty()) {
            throw new IllegalStateException(file + " is not a version " + SCHEMA_VERSION + " " + SCHEMA
                    + " naming at least one step");
        }
        return config;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
