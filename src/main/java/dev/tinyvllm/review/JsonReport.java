package dev.tinyvllm.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/** The review as JSON, schema {@code tiny-vllm-tutor/review} (docs/review-report.md); null figures are left out. */
final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    static String render(Review review) {
        try {
            return JSON.writeValueAsString(review) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the review as JSON", e);
        }
    }
}
