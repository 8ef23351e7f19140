package dev.tinyvllm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepGuide;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A mistake students make, written into the reference solution, and what the grader must say about it:
 * which functions fail, with which tags, and that every other function still passes. One mutant may
 * break several functions in different ways, so one grading run can check several mistakes at once.
 * {@link MutantTable} runs a step's table of them.
 */
public final class Mutant {

    /**
     * What one broken function's checks must show: these tags at least, and no tag beyond {@code allowed};
     * a function that only may break (a consequence of the mistake elsewhere) may also pass.
     */
    public record Expect(Set<String> required, Set<String> allowed, boolean mustFail) {}

    private final String name;
    private final String stepId;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, Expect> broken = new LinkedHashMap<>();
    private final Set<String> shown = new LinkedHashSet<>();

    private Mutant(String name, String stepId) {
        this.name = name;
        this.stepId = stepId;
    }

    public static Mutant of(String name, String stepId) {
        return new Mutant(name, stepId);
    }

    /** Edits a reference file, of this step or of one it builds on, by pairs of from, to. */
    public Mutant edit(String file, String... fromTo) {
        String owner = Catalog.load().withRequirements(StepSources.step(stepId)).stream()
                .filter(s -> s.files().contains(file)).map(Step::id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + " belongs to no step " + stepId + " builds on"));
        String base = sources.containsKey(file) ? sources.get(file) : StepSources.reference(owner, file);
        sources.put(file, StepSources.edited(owner + " " + file, base, fromTo));
        return this;
    }

    /** The function must fail with these tags, and may carry no other. */
    public Mutant breaks(String function, String... tags) {
        return breaks(function, Set.of(tags), Set.of());
    }

    /** The function must fail with {@code required}, and may also carry {@code alsoAllowed}. */
    public Mutant breaks(String function, Set<String> required, Set<String> alsoAllowed) {
        Set<String> allowed = new LinkedHashSet<>(required);
        allowed.addAll(alsoAllowed);
        broken.put(function, new Expect(required, allowed, true));
        return this;
    }

    /** The function may fail as a consequence of the mistake, with no tag beyond these; or it may pass. */
    public Mutant mayBreak(String function, String... tags) {
        broken.put(function, new Expect(Set.of(), Set.of(tags), false));
        return this;
    }

    /** These tags must show on some check, whichever broken function carries them. */
    public Mutant shows(Set<String> tags) {
        shown.addAll(tags);
        return this;
    }

    public String stepId() {
        return stepId;
    }

    public Map<String, String> sources() {
        return sources;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Grades the mutant in this JVM: the results, for a test's own assertions. */
    public List<CheckResult> grade(Path dir) {
        return InProcessGrading.grade(dir, stepId, sources);
    }

    /**
     * Grades the mutant in this JVM and checks the verdict of every function. A CUDA check counts as
     * passing when SKIPPED: this JVM never runs one.
     */
    public void assertCaught(Path dir) {
        List<CheckResult> results = grade(dir);
        assertVerdicts(results, TestWorkspace.dump(results), TestWorkspace::passOrSkip);
    }

    /**
     * Grades the mutant the way {@code tutor check} does, with a grading JVM, in a real workspace holding
     * the references of the step and of the steps it builds on (edited where the mutant says), and
     * checks the verdict of every function; besides, every failing check with a tag carries a question
     * and the step fails. A CUDA check SKIPPED on a machine without CUDA counts as passing.
     */
    public StepReport assertCaughtByChecker(Path dir) {
        StepReport report = TestWorkspace.create(dir).solved(stepId, sources).check(stepId);
        assertVerdicts(report.checks(), TestWorkspace.dump(report), TestWorkspace::passOrSkip);
        for (CheckResult c : report.checks()) {
            if (c.status() == Outcome.FAIL && !c.tags().isEmpty()) {
                assertTrue(c.question() != null && c.question().endsWith("?"), c.id());
            }
        }
        assertEquals("FAIL", report.status());
        return report;
    }

    /** @param passing what a check of an untouched function may show */
    private void assertVerdicts(List<CheckResult> results, String dump, Predicate<CheckResult> passing) {
        StepGuide guide = StepGuide.load(StepSources.step(stepId));
        Set<String> functions = new LinkedHashSet<>();
        results.forEach(r -> functions.add(r.function()));
        assertTrue(functions.containsAll(broken.keySet()), "unknown function in " + broken.keySet() + ":\n" + dump);
        for (String function : functions) {
            List<CheckResult> checks = results.stream().filter(r -> r.function().equals(function)).toList();
            Expect expect = broken.get(function);
            if (expect == null) {
                assertTrue(checks.stream().allMatch(passing), function + " should be untouched by " + name + ":\n" + dump);
                continue;
            }
            if (expect.mustFail()) {
                assertTrue(checks.stream().anyMatch(c -> c.status() == Outcome.FAIL), function + " must fail:\n" + dump);
            }
            assertTrue(checks.stream().allMatch(c -> passing.test(c) || c.status() == Outcome.FAIL),
                    function + " may pass or fail, nothing else:\n" + dump);
            Set<String> seen = new TreeSet<>();
            for (CheckResult c : checks) {
                assertTrue(expect.allowed().containsAll(c.tags()),
                        c.id() + " claims " + c.tags() + ", not explained by " + name + ":\n" + dump);
                seen.addAll(c.tags());
            }
            assertTrue(seen.containsAll(expect.required()),
                    function + ": expected " + expect.required() + ", saw " + seen + ":\n" + dump);
            for (String tag : seen) {
                assertTrue(guide.questionFor(tag).filter(q -> q.endsWith("?")).isPresent(),
                        "the guide of " + stepId + " has no question for " + tag);
            }
        }
        Set<String> seen = TestWorkspace.tags(results);
        assertTrue(seen.containsAll(shown), "expected " + shown + ", saw " + seen + ":\n" + dump);
    }
}
