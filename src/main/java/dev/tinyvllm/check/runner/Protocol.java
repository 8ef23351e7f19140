package dev.tinyvllm.check.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.check.CheckResult;
import java.util.List;

/**
 * The conversation between the checker and its grading JVM. The parent sends one {@link Request}
 * line on stdin; the child answers with {@link Event} lines on stdout, each behind {@link #PREFIX} so
 * that anything else printed there (by libtorch, say) is told apart.
 */
public final class Protocol {

    public static final String PREFIX = "@@tutor ";

    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    private Protocol() {}

    /** Run these checks on the classes in this folder. */
    public record Request(String classes, List<String> checks) {}

    /**
     * started (the JVM is up), ready (libtorch loaded), begin and result (one check), exit (student
     * code called System.exit during {@code check}), done (all requested checks ran).
     */
    public record Event(String type, String check, CheckResult result, Long millis) {

        public static Event of(String type, String check, Long millis) {
            return new Event(type, check, null, millis);
        }
    }
}
