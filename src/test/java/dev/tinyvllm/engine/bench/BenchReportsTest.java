package dev.tinyvllm.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The baseline's figures read as they did when libtorch was built into the bench. */
class BenchReportsTest {

    static EngineBench.Report report(EngineBench.BaselineRun baseline) {
        return new EngineBench.Report("tiny", "f32", "vector", 2, "17", 1_000_000, 30, 30, 0.5,
                new EngineBench.Batch1(128, 100, 32, 15), new EngineBench.BatchN(16, 16, 32, 60, 4),
                baseline, new EngineBench.PrefixCache(500, 8, 5000, 250, 496, 20), null);
    }

    @Test
    void aBaselineIsReportedUnderItsOwnName() throws Exception {
        EngineBench.Report r = report(new EngineBench.BaselineRun("libtorch", "float32", 104.25, 4.2, 3.5));
        assertTrue(BenchReports.text(r).contains(
                "libtorch  prefill    104.3 tok/s   decode    4.20 tok/s (float32); engine decode is 3.50x\n"), BenchReports.text(r));
        JsonNode json = new ObjectMapper().readTree(BenchFormat.JSON.render(r));
        assertEquals(4.2, json.at("/libtorch/decode_tok_s").asDouble());
        assertEquals(104.25, json.at("/libtorch/prefill_tok_s").asDouble());
        assertEquals(3.5, json.at("/libtorch/engine_decode_speedup").asDouble());
    }

    @Test
    void withoutABaselineThereIsNoLineAndNoFigure() throws Exception {
        EngineBench.Report r = report(null);
        assertFalse(BenchFormat.TEXT.render(r).contains("libtorch"));
        assertTrue(new ObjectMapper().readTree(BenchFormat.JSON.render(r)).at("/libtorch/decode_tok_s").isMissingNode());
    }
}
