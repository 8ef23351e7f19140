package dev.tinyvllm.testing;

import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.check.StudentCompiler;
import dev.tinyvllm.check.judge.Judge;
import dev.tinyvllm.check.judge.KernelAudit;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepGuide;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Grades sources with a step's real checks, compiler, judge and host, but with the host inside the test
 * JVM ({@link InProcessLink}): no student JVM to start and no libtorch to load per run, so a test can
 * afford one run per mutant. The whole path (student JVM, sandbox, timeouts) is covered by tests that
 * go through the checker.
 */
public final class InProcessGrading {

    private InProcessGrading() {}

    /**
     * @param dir an empty scratch folder
     * @param overrides sources by workspace path that replace the references of the step and of the steps it builds on
     */
    public static List<CheckResult> grade(Path dir, String stepId, Map<String, String> overrides) {
        Catalog catalog = Catalog.load();
        Step step = catalog.requireStep(stepId);
        List<Step> build = catalog.withRequirements(step);
        try {
            for (Map.Entry<String, String> file : StepSources.solution(stepId, overrides).entrySet()) {
                Path target = dir.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StudentCompiler.Result compiled = StudentCompiler.compile(dir,
                build.stream().map(s -> dir.resolve(s.sourceDir())).toList(), dir.resolve("classes"));
        if (!compiled.success()) {
            throw new AssertionError("does not compile: " + compiled.messages());
        }
        StepChecks checks = StepChecks.of(step);
        Judge judge = new Judge(step, StepGuide.load(step), 0, Duration.ofMinutes(5),
                KernelAudit.of(List.of(compiled.classes())).violations(checks.kernels()), "no CUDA in the test's JVM");
        try (NDManager base = NDManager.newBaseManager()) {
            return judge.run(checks.checks(), () -> new InProcessLink(compiled.classes(), dir.resolve("inputs")), base)
                    .results();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
