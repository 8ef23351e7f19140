package dev.tinyvllm.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.check.steps.Graders;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every available step has its three folders, a grader, and a guide the code can read. */
class CourseContentTest {

    /** Tags the week1/attention grader can emit. */
    private static final List<String> ATTENTION_TAGS = List.of("SCALE_MISSING", "SCALE_WRONG", "MASK_IGNORED",
            "MASK_INVERTED", "CAUSAL_MISSING", "CAUSAL_OFF_BY_ONE", "HEADS_NOT_TRANSPOSED", "HEADS_MERGED_WRONG",
            "HEADS_MIXED", "SOFTMAX_WRONG_AXIS", "VARLEN_CROSSES_SEQUENCES", "NAN_OUTPUT", "SHAPE_MISMATCH");

    /** A call with arguments, an assignment or a statement end: code, which no question may hold. */
    private static final Pattern CODE = Pattern.compile("\\w+\\([^)]*\\w[^)]*\\)|[^=!<>]=[^=]|;\\s*$");

    @Test
    void catalogIdsAreUniqueAndEveryAvailableStepIsComplete() {
        Catalog catalog = Catalog.load();
        Set<String> ids = new HashSet<>();
        for (Catalog.Entry e : catalog.entries()) {
            assertTrue(ids.add(e.id()), "duplicate " + e.id());
            assertTrue(e.id().matches("week[1-3]/[a-z0-9-]+"), e.id());
        }
        List<Step> available = catalog.availableSteps();
        assertFalse(available.isEmpty());
        for (Step step : available) {
            assertTrue(Graders.forStep(step.id()).isPresent(), "grader for " + step.id());
            assertTrue(Resources.text(step.readmeResource()).isPresent(), step.readmeResource());
            assertTrue(Resources.text(step.guideResource()).isPresent(), step.guideResource());
            for (String file : step.files()) {
                assertTrue(Resources.text(step.skeletonResource(file)).isPresent(), step.skeletonResource(file));
                assertTrue(Resources.text(step.referenceResource(file)).isPresent(), step.referenceResource(file));
                assertTrue(file.startsWith(step.sourceDir()), file + " lies in " + step.sourceDir());
            }
            for (StepFunction f : step.functions()) {
                assertTrue(StepGuide.load(step).part(f.firstPart()).isPresent(), f.firstPart());
            }
        }
    }

    @Test
    void theAttentionGuideHasQuestionsForEveryTagAndNoCode() {
        StepGuide guide = StepGuide.load(Catalog.load().requireStep("week1/attention"));
        for (String tag : ATTENTION_TAGS) {
            List<String> questions = guide.tagQuestions().get(tag);
            assertTrue(questions != null && questions.size() >= 3, tag);
        }
        assertEquals(11, guide.parts().size());
        List<String> all = new java.util.ArrayList<>();
        guide.tagQuestions().values().forEach(all::addAll);
        guide.situationQuestions().values().forEach(all::addAll);
        guide.parts().forEach(p -> all.addAll(p.questions()));
        all.addAll(guide.reflection());
        for (String q : all) {
            assertTrue(q.endsWith("?"), "not a question: " + q);
            assertFalse(CODE.matcher(q.replaceAll("`[^`]*`", "x")).find(), "reads like code: " + q);
        }
        for (String situation : List.of("VALUES_DIFFER", "EXCEPTION", "TIMEOUT", "MEMORY", "EXIT", "CRASH", "COMPILE_ERROR")) {
            assertTrue(guide.questionForSituation(situation).isPresent(), situation);
        }
        guide.parts().forEach(p -> assertFalse(p.signs().isEmpty(), p.id()));
    }

    /** Tags each layer step's grader can emit: its mutants' and its probes'. */
    static Stream<Arguments> layerSteps() {
        return Stream.of(
                Arguments.of("week1/rope", List.of("PAIRING_WRONG", "FREQUENCIES_WRONG", "OFFSET_IGNORED",
                        "POSITIONS_SHIFTED", "ROTATION_REVERSED", "NOT_A_ROTATION", "SHAPE_MISMATCH", "DTYPE_CHANGED",
                        "NAN_OUTPUT")),
                Arguments.of("week1/gqa", List.of("CAUSAL_TOP_LEFT", "CAUSAL_OFF_BY_ONE", "MASK_INVERTED",
                        "MASK_NOT_BOOLEAN", "MASK_IGNORED", "GROUPING_WRONG", "HEADS_MIXED", "SCALE_MISSING",
                        "BIAS_MISSING", "ROPE_ON_V", "ROPE_MISSING", "PAIRING_WRONG", "CAUSAL_MISSING", "ROPE_DIVERGES",
                        "GROUPED_ATTENTION_DIVERGES", "NAN_OUTPUT", "SHAPE_MISMATCH", "DTYPE_CHANGED")),
                Arguments.of("week1/rmsnorm-mlp", List.of("EPS_OUTSIDE_ROOT", "EPS_MISSING", "NORM_WRONG_AXIS",
                        "NORM_WEIGHT_MISSING", "HALF_PRECISION_SUM", "DTYPE_CHANGED", "GATE_UP_SWAPPED",
                        "SILU_WRONG_BRANCH", "SILU_MISSING", "SILU_FORMULA_WRONG", "NAN_OUTPUT", "SHAPE_MISMATCH")),
                Arguments.of("week1/qwen2-block", List.of("RESIDUAL_MISSING", "RESIDUAL_FROM_NORMED", "POST_NORM",
                        "NORMS_SWAPPED", "NORM_DIVERGES", "ATTENTION_DIVERGES", "MLP_DIVERGES", "NAN_OUTPUT",
                        "SHAPE_MISMATCH", "DTYPE_CHANGED")),
                Arguments.of("week1/sampling", List.of("TEMPERATURE_INVERTED", "TOP_K_TIES_DROPPED", "TOP_K_OFF_BY_ONE",
                        "TOP_P_BOUNDARY", "FILTER_ORDER", "NOT_RENORMALIZED", "GREEDY_TIE", "GREEDY_NOT_ARGMAX",
                        "SEED_IGNORED", "FILTERS_IGNORED_WHEN_DRAWING", "DRAWS_OFF_DISTRIBUTION", "NAN_OUTPUT",
                        "SHAPE_MISMATCH", "DTYPE_CHANGED")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerSteps")
    void eachLayerGuideHasQuestionsForEveryTagPartsWithSignsAndNoCode(String stepId, List<String> tags) {
        Step step = Catalog.load().requireStep(stepId);
        StepGuide guide = StepGuide.load(step);
        for (String tag : tags) {
            List<String> questions = guide.tagQuestions().get(tag);
            assertTrue(questions != null && questions.size() >= 3, stepId + " " + tag);
        }
        assertTrue(guide.parts().size() >= 5, stepId);
        guide.parts().forEach(p -> assertFalse(p.signs().isEmpty(), p.id()));
        guide.parts().forEach(p -> assertEquals(3, p.questions().size(), p.id()));
        assertTrue(guide.reflection().size() >= 4, stepId);
        for (String situation : List.of("VALUES_DIFFER", "EXCEPTION", "TIMEOUT", "MEMORY", "EXIT", "CRASH", "COMPILE_ERROR")) {
            assertTrue(guide.questionForSituation(situation).isPresent(), stepId + " " + situation);
        }
        List<String> all = new java.util.ArrayList<>();
        guide.tagQuestions().values().forEach(all::addAll);
        guide.situationQuestions().values().forEach(all::addAll);
        guide.parts().forEach(p -> all.addAll(p.questions()));
        all.addAll(guide.reflection());
        for (String q : all) {
            assertTrue(q.endsWith("?"), "not a question: " + q);
            assertFalse(CODE.matcher(q.replaceAll("`[^`]*`", "x")).find(), "reads like code: " + q);
        }
        // The README shows the class and its methods; the skeleton throws everywhere; the reference does not.
        String readme = Resources.requireText(step.readmeResource());
        for (String file : step.files()) {
            String skeleton = Resources.requireText(step.skeletonResource(file));
            String reference = Resources.requireText(step.referenceResource(file));
            String className = file.substring(file.lastIndexOf('/') + 1).replace(".java", "");
            assertTrue(readme.contains(className), stepId + " README names " + className);
            assertTrue(skeleton.contains("UnsupportedOperationException"), file);
            assertFalse(reference.contains("UnsupportedOperationException"), file);
        }
        for (StepFunction f : step.functions()) {
            assertTrue(guide.part(f.firstPart()).isPresent(), stepId + " " + f.firstPart());
        }
    }

    @Test
    void aStepIsCompiledWithTheStepsItBuildsOnEachOnceAndEarlierFirst() {
        Catalog catalog = Catalog.load();
        assertEquals(List.of("week1/rope", "week1/gqa", "week1/rmsnorm-mlp", "week1/qwen2-block"),
                catalog.withRequirements(catalog.requireStep("week1/qwen2-block")).stream().map(Step::id).toList());
        assertEquals(List.of("week1/attention"),
                catalog.withRequirements(catalog.requireStep("week1/attention")).stream().map(Step::id).toList());
        List<String> order = catalog.entries().stream().map(Catalog.Entry::id).toList();
        for (Step step : catalog.availableSteps()) {
            for (String required : step.requires()) {
                assertTrue(order.indexOf(required) >= 0 && order.indexOf(required) < order.indexOf(step.id()),
                        step.id() + " requires " + required + ", which must come earlier in the course");
            }
        }
    }

    @Test
    void theMaskPolarityIsStatedTheSameWayInReadmeSkeletonAndGuide() {
        Step step = Catalog.load().requireStep("week1/attention");
        String readme = Resources.requireText(step.readmeResource()).toLowerCase(java.util.Locale.ROOT);
        String skeleton = Resources.requireText(step.skeletonResource(step.files().get(0))).toLowerCase(java.util.Locale.ROOT);
        assertTrue(readme.contains("true"), "the README states the polarity");
        assertTrue(skeleton.contains("true = this key position takes part"), skeleton);
        assertFalse(readme.contains("true means masked") || readme.contains("true = masked"));
    }

    @Test
    void theGuideParserReadsSectionsByHeading() {
        StepGuide guide = StepGuide.parse("x", """
                # x
                ## Parts
                ### a-part: First
                Signs: something
                - One?
                - Two?
                ## Tags
                ### SOME_TAG
                - Why?
                ## Situations
                ### TIMEOUT
                - Loop?
                ## Reflection
                - Learned?
                """);
        assertEquals(1, guide.parts().size());
        assertEquals("a-part", guide.parts().get(0).id());
        assertEquals("First", guide.parts().get(0).title());
        assertEquals("something", guide.parts().get(0).signs());
        assertEquals(List.of("One?", "Two?"), guide.parts().get(0).questions());
        assertEquals("Why?", guide.questionFor("SOME_TAG").orElseThrow());
        assertEquals("Loop?", guide.questionForSituation("TIMEOUT").orElseThrow());
        assertEquals(List.of("Learned?"), guide.reflection());
        assertTrue(guide.questionFor("OTHER").isEmpty());
    }
}
