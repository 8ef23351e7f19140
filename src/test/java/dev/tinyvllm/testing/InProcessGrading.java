package dev.tinyvllm.testing;

import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.StepGrader;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.check.StudentCompiler;
import dev.tinyvllm.check.runner.ReflectiveStudentCode;
import dev.tinyvllm.check.runner.StudentClassLoader;
import dev.tinyvllm.check.steps.Graders;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Grades sources with a step's real grader, compiler and student class loader, but inside the test JVM:
 * no grading JVM to start and no libtorch to load per run, so a test can afford one run per mutant.
 * The end-to-end path (child JVM, timeouts, questions) is covered by tests that go through the checker.
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
        StepGrader grader = Graders.forStep(stepId).orElseThrow();
        try (StudentClassLoader loader = new StudentClassLoader(compiled.classes(), InProcessGrading.class.getClassLoader());
                NDManager base = NDManager.newBaseManager()) {
            StudentCode code = new ReflectiveStudentCode(loader, step.className());
            List<CheckResult> results = new ArrayList<>();
            for (CheckSpec spec : grader.checks()) {
                try (NDManager manager = base.newSubManager()) {
                    results.add(grader.run(spec, code, manager, step, 0));
                }
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
