package dev.tinyvllm.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.check.report.ReportFormat;
import dev.tinyvllm.curriculum.Tolerance;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Each output format holds what its consumer reads, and SKIPPED is never a pass in any of them. */
class ReportFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CheckResult result(String id, Outcome status, String message, List<String> tags, String question) {
        return new CheckResult(id, "eagerCausal", "a case", status, message, tags, question,
                status == Outcome.PASS ? 1.2e-7 : null, null, Map.of("batch", 1L, "token", 3L, "head", 0L),
                List.of(2L, 7L, 15L), List.of(2L, 7L, 15L), status == Outcome.ERROR ? "printed <stuff> & \u0001" : null, 12);
    }

    private static StepReport sample() {
        List<CheckResult> checks = List.of(
                result("eager_causal.no_mask", Outcome.PASS, "matches", List.of(), null),
                result("eager_causal.padding_mask", Outcome.FAIL, "values differ \"here\"", List.of("MASK_INVERTED"),
                        "What does true mean?"),
                result("eager_causal.batch_1", Outcome.NOT_IMPLEMENTED, "not implemented yet", List.of(), "Which axis?"),
                result("eager_causal.future_tokens_ignored", Outcome.ERROR, "threw <IllegalState>", List.of(), "Why?"),
                result("flash_causal.cuda", Outcome.SKIPPED, "no CUDA device", List.of(), null));
        return new StepReport(StepReport.SCHEMA, StepReport.SCHEMA_VERSION, "week1/attention", "Attention", "FAIL",
                1, 5, 1, 1, 1, 1, 42, new Tolerance(1e-4, 1e-5), false, StepReport.Isolation.of(SandboxMode.BWRAP),
                new StepReport.Compilation(true, List.of(), 300), checks, new StepReport.Timing(1500, 300, 200, 600, 400));
    }

    @Test
    void jsonFollowsTheDocumentedVersionedSchema() throws Exception {
        JsonNode root = JSON.readTree(ReportFormat.JSON.render(sample(), false));
        assertEquals("tiny-vllm-tutor/check-report", root.get("schema").asText());
        assertEquals(2, root.get("schemaVersion").asInt());
        assertEquals("week1/attention", root.get("step").asText());
        assertEquals("bwrap", root.get("isolation").get("sandbox").asText());
        assertTrue(root.get("isolation").get("description").asText().contains("no network"));
        assertEquals("FAIL", root.get("status").asText());
        assertEquals(1, root.get("passed").asInt());
        assertEquals(5, root.get("total").asInt());
        assertEquals(1, root.get("skipped").asInt());
        JsonNode failed = root.get("checks").get(1);
        for (String field : List.of("id", "status", "message", "tags", "question", "where", "expectedShape")) {
            assertTrue(failed.has(field), field);
        }
        assertEquals("MASK_INVERTED", failed.get("tags").get(0).asText());
        assertEquals(1.2e-7, root.get("checks").get(0).get("maxAbsError").asDouble());
        assertTrue(root.get("checks").get(0).get("tags").isArray());
        assertEquals(3, failed.get("where").get("token").asInt());
    }

    @Test
    void gradescopeScoresOnlyChecksThatRanAndListsTheSkippedOnesWithTheirReason() throws Exception {
        JsonNode root = JSON.readTree(ReportFormat.GRADESCOPE.render(sample(), false));
        assertEquals(1.0, root.get("score").asDouble());
        assertEquals(4.0, root.get("max_score").asDouble());
        JsonNode tests = root.get("tests");
        assertEquals(5, tests.size());
        for (JsonNode t : tests) {
            assertTrue(t.has("name") && t.has("score") && t.has("max_score") && t.has("status") && t.has("output"));
        }
        JsonNode skipped = tests.get(4);
        assertEquals(0.0, skipped.get("max_score").asDouble());
        assertEquals("failed", skipped.get("status").asText(), "a skip is never reported as passed");
        assertTrue(skipped.get("output").asText().contains("no CUDA device"));
        assertTrue(tests.get(1).get("output").asText().contains("? What does true mean?"));
    }

    @Test
    void junitXmlParsesAndCountsMatch() throws Exception {
        String xml = ReportFormat.JUNIT.render(sample(), false);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element suite = doc.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("5", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("errors"));
        assertEquals("1", suite.getAttribute("skipped"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(5, cases.getLength());
        assertEquals(1, doc.getElementsByTagName("skipped").getLength());
        assertEquals("no CUDA device", ((Element) doc.getElementsByTagName("skipped").item(0)).getAttribute("message"));
        Element error = (Element) doc.getElementsByTagName("error").item(0);
        assertEquals("threw <IllegalState>", error.getAttribute("message"));
        assertTrue(error.getTextContent().contains("printed <stuff> & "));
        assertEquals("NOT_IMPLEMENTED", ((Element) doc.getElementsByTagName("failure").item(1)).getAttribute("type"));
    }

    @Test
    void textShowsStatusTagsQuestionAndCountsSkippedApart() {
        String text = ReportFormat.TEXT.render(sample(), false);
        assertTrue(text.contains("FAIL  padding_mask"));
        assertTrue(text.contains("tags: MASK_INVERTED"));
        assertTrue(text.contains("? What does true mean?"));
        assertTrue(text.contains("SKIP  cuda"));
        assertTrue(text.contains("FAIL: 1 of 4 checks passed, 1 failed, 1 not implemented, 1 errors; 1 skipped (not counted as passed)"),
                text);
        assertFalse(text.contains("\u001b["), "no colour unless asked");
        assertTrue(ReportFormat.TEXT.render(sample(), true).contains("\u001b[31m"));
    }

    @Test
    void textAsksAFunctionsRepeatedQuestionOnce() {
        List<CheckResult> checks = List.of(
                result("eager_causal.no_mask", Outcome.NOT_IMPLEMENTED, "not implemented yet", List.of(), "Which axis?"),
                result("eager_causal.batch_1", Outcome.NOT_IMPLEMENTED, "not implemented yet", List.of(), "Which axis?"),
                result("eager_causal.padding_mask", Outcome.FAIL, "values differ", List.of("MASK_INVERTED"), "What does true mean?"));
        StepReport report = new StepReport(StepReport.SCHEMA, StepReport.SCHEMA_VERSION, "week1/attention", "Attention",
                "FAIL", 0, 3, 1, 2, 0, 0, 0, new Tolerance(1e-4, 1e-5), false, StepReport.Isolation.of(SandboxMode.NONE),
                new StepReport.Compilation(true, List.of(), 1), checks, new StepReport.Timing(1, 1, 1, 1, 1));
        String text = ReportFormat.TEXT.render(report, false);
        assertEquals(1, text.split("\\? Which axis\\?", -1).length - 1, text);
        assertTrue(text.contains("? What does true mean?"), text);
    }

    @Test
    void whatStudentCodePrintedReachesNoFormatRawAndEveryFormatSaysWhichIsolationRan() throws Exception {
        String hostile = "\u001b[2J\u001b]0;title\u0007red\u001b[31m\u202etxt\ufffe\u0000\uffff\ud800end";
        CheckResult printed = new CheckResult("eager_causal.no_mask", "eagerCausal", "odd sizes", Outcome.ERROR,
                "eagerCausal threw " + hostile, List.of(), null, null, null, null, null, null, hostile, 3);
        StepReport report = new StepReport(StepReport.SCHEMA, StepReport.SCHEMA_VERSION, "week1/attention", "Attention",
                "FAIL", 0, 1, 0, 0, 1, 0, 0, new Tolerance(1e-4, 1e-5), false, StepReport.Isolation.of(SandboxMode.USER),
                new StepReport.Compilation(true, List.of(), 1), List.of(printed), new StepReport.Timing(1, 1, 1, 1, 1));
        for (ReportFormat format : ReportFormat.values()) {
            String text = format.render(report, false);
            for (int bad : new int[] {0x1B, 0x07, 0x00, 0x202E, 0xFFFE, 0xFFFF}) {
                assertTrue(text.indexOf(bad) < 0, format + " holds U+" + Integer.toHexString(bad) + ": " + text);
            }
            assertTrue(text.contains("red") && text.contains("end"), format + " keeps the printable text");
            assertTrue(text.contains("user"), format + " names the isolation");
        }
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(
                new org.xml.sax.InputSource(new java.io.StringReader(ReportFormat.JUNIT.render(report, false))));
    }

    @Test
    void aStepPassesOnlyWhenEveryCheckThatRanPassed() {
        CheckResult pass = result("a", Outcome.PASS, "", List.of(), null);
        CheckResult skip = result("b", Outcome.SKIPPED, "", List.of(), null);
        CheckResult todo = result("c", Outcome.NOT_IMPLEMENTED, "", List.of(), null);
        assertEquals("PASS", StepReport.statusOf(true, List.of(pass, skip)));
        assertEquals("FAIL", StepReport.statusOf(true, List.of(skip)), "nothing ran: nothing passed");
        assertEquals("NOT_IMPLEMENTED", StepReport.statusOf(true, List.of(todo, skip)));
        assertEquals("FAIL", StepReport.statusOf(true, List.of(pass, todo)));
        assertEquals("COMPILE_ERROR", StepReport.statusOf(false, List.of(pass)));
    }
}
