package dev.tinyvllm.testing;

import dev.tinyvllm.check.CheckOptions;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckRuns;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StudentApiJar;
import dev.tinyvllm.curriculum.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A real workspace made by {@code tutor init}'s code, with a student source written into it. */
public final class TestWorkspace {

    private final Path root;

    private TestWorkspace(Path root) {
        this.root = root;
    }

    public static TestWorkspace create(Path dir) {
        Workspace.init(dir, Catalog.load(), StudentApiJar.build());
        return new TestWorkspace(dir);
    }

    public Path root() {
        return root;
    }

    public TestWorkspace write(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference of the step and of every step it builds on, but for the files {@code overrides} gives. */
    public TestWorkspace solved(String stepId, Map<String, String> overrides) {
        StepSources.solution(stepId, overrides).forEach(this::write);
        return this;
    }

    public TestWorkspace attention(String source) {
        return write(AttentionSources.FILE, source);
    }

    public StepReport check() {
        return check(CheckOptions.defaults());
    }

    public StepReport check(int timeoutSeconds) {
        return check(new CheckOptions(0, Duration.ofSeconds(timeoutSeconds), CheckOptions.DEFAULT_MEMORY_LIMIT));
    }

    public StepReport check(CheckOptions options) {
        return check("week1/attention", options);
    }

    /** Grades any step of this workspace, as `tutor check STEP` does. */
    public StepReport check(String stepId) {
        return check(stepId, CheckOptions.defaults());
    }

    public StepReport check(String stepId, CheckOptions options) {
        Step step = Catalog.load().requireStep(stepId);
        try {
            return CheckRuns.workspace(Workspace.require(root), step, options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static List<CheckResult> of(StepReport report, String function) {
        return report.checks().stream().filter(c -> c.function().equals(function)).toList();
    }

    public static CheckResult byId(StepReport report, String id) {
        return report.checks().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id));
    }

    public static Set<String> tags(List<CheckResult> checks) {
        Set<String> tags = new TreeSet<>();
        checks.forEach(c -> tags.addAll(c.tags()));
        return tags;
    }

    public static boolean allPassOrSkip(List<CheckResult> checks) {
        return checks.stream().allMatch(TestWorkspace::passOrSkip);
    }

    /** PASS, or a CUDA check SKIPPED on a machine without CUDA. */
    public static boolean passOrSkip(CheckResult c) {
        return c.status() == Outcome.PASS || (c.status() == Outcome.SKIPPED && c.id().endsWith(".cuda"));
    }

    /** A readable dump of the report, for assertion messages. */
    public static String dump(StepReport report) {
        StringBuilder s = new StringBuilder(report.status()).append('\n');
        report.compile().messages().forEach(m -> s.append("  compile: ").append(m).append('\n'));
        return s.append(dump(report.checks())).toString();
    }

    /** A line per check: status, id, tags and message. */
    public static String dump(List<CheckResult> checks) {
        StringBuilder s = new StringBuilder();
        for (CheckResult c : checks) {
            s.append("  ").append(c.status()).append(' ').append(c.id()).append(' ').append(c.tags()).append(' ')
                    .append(c.message()).append('\n');
        }
        return s.toString();
    }
}
