package dev.tinyvllm.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.StepChecks;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step of the course is complete: its three folders, its checks found through its catalog line,
 * and a guide whose tags are exactly the ones its checks can give (read from the step's tag type, never
 * from a list kept here), each with questions and no code.
 */
class CourseContentTest {

    /** A call with arguments, an assignment or a statement end: code, which no question may hold. */
    private static final Pattern CODE = Pattern.compile("\\w+\\([^)]*\\w[^)]*\\)|[^=!<>]=[^=]|;\\s*$");

    private static final List<String> SITUATIONS = List.of("VALUES_DIFFER", "EXCEPTION", "TIMEOUT", "MEMORY", "EXIT",
            "CRASH", "COMPILE_ERROR");

    static Stream<String> courseSteps() {
        return Catalog.load().availableSteps().stream().map(Step::id).filter(id -> !id.startsWith("test/"));
    }

    @Test
    void catalogIdsAreUniqueAndNameTheirWeek() {
        Set<String> ids = new HashSet<>();
        for (Catalog.Entry e : Catalog.load().entries()) {
            assertTrue(ids.add(e.id()), "duplicate " + e.id());
            assertTrue(e.id().matches("week[1-3]/[a-z0-9-]+|test/[a-z0-9-]+"), e.id());
        }
        assertTrue(courseSteps().count() >= 8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("courseSteps")
    void everyStepIsCompleteAndItsGuideAsksAboutEveryTagItsChecksGive(String stepId) {
        Step step = Catalog.load().requireStep(stepId);
        StepChecks checks = StepChecks.of(step);
        StepGuide guide = StepGuide.load(step);
        assertEquals(checks.tagNames(), new TreeSet<>(guide.tagQuestions().keySet()),
                stepId + ": the guide's ## Tags against the tags its checks can give");
        guide.tagQuestions().forEach((tag, questions) -> assertTrue(questions.size() >= 2, stepId + " " + tag));
        assertTrue(guide.parts().size() >= 5, stepId);
        guide.parts().forEach(p -> assertFalse(p.signs().isEmpty(), p.id()));
        guide.parts().forEach(p -> assertTrue(p.questions().size() >= 2, p.id()));
        assertFalse(guide.reflection().isEmpty(), stepId);
        List<String> situations = new java.util.ArrayList<>(SITUATIONS);
        if (!checks.kernels().entries().isEmpty()) {
            situations.add("KERNEL_NOT_ALLOWED");
        }
        for (String situation : situations) {
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
        // The README shows the classes; the skeleton throws everywhere; the reference does not.
        String readme = Resources.requireText(step.readmeResource());
        for (String file : step.files()) {
            assertTrue(file.startsWith(step.sourceDir()), file + " lies in " + step.sourceDir());
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
        // Ids are unique, a dependency names an earlier check, and every function is one of the step's.
        Set<String> seen = new HashSet<>();
        Set<String> functions = new HashSet<>(step.functions().stream().map(StepFunction::name).toList());
        for (Check c : checks.checks()) {
            assertTrue(c.dependsOn() == null || seen.contains(c.dependsOn()), c.id() + " depends on " + c.dependsOn());
            assertTrue(seen.add(c.id()), "duplicate check " + c.id());
            assertTrue(functions.contains(c.function()), c.id() + ": " + c.function() + " is not in step.json");
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
