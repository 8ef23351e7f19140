package dev.tinyvllm.check;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.judge.Judge;
import dev.tinyvllm.check.judge.KernelAudit;
import dev.tinyvllm.check.judge.Sandbox;
import dev.tinyvllm.check.judge.StudentJvm;
import dev.tinyvllm.check.judge.StudentJvms;
import dev.tinyvllm.check.judge.StudentLink;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepGuide;
import dev.tinyvllm.curriculum.StudentApiJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * {@code tutor check}: compile the student's step, start a sandboxed student JVM meanwhile (and load the
 * oracles' libtorch here), then let the {@link Judge} run every check in this trusted process against the
 * student's code over there, and gather one report. Nothing the student's code does decides a status.
 */
public final class Checker {

    private final Step step;
    private final StepChecks checks;
    private final StepGuide guide;
    private final CheckOptions options;

    public Checker(Step step, CheckOptions options) {
        this.step = step;
        this.checks = StepChecks.of(step);
        this.guide = StepGuide.load(step);
        this.options = options;
    }

    /**
     * @param root the folder holding the sources (a workspace, or the extracted reference)
     * @param buildDir scratch space for class files
     * @param reference whether {@code root} holds the bundled reference solution
     */
    public StepReport check(Path root, Path buildDir, boolean reference) throws InterruptedException {
        try (BuildLock lock = BuildLock.acquire(buildDir)) {
            return checkLocked(root, buildDir, reference);
        }
    }

    private StepReport checkLocked(Path root, Path buildDir, boolean reference) throws InterruptedException {
        long start = System.nanoTime();
        List<Check> list = checks.checks();
        StudentJvm.Options jvmOptions = jvmOptions(root, buildDir);
        SandboxMode sandbox = jvmOptions.sandbox();
        Path classes = jvmOptions.classDirs().get(0);
        // The student JVM loads its libtorch, and this JVM the oracles', while the compiler runs.
        StudentJvms jvms = StudentJvms.shared();
        StudentJvm first = jvms.take(jvmOptions);
        boolean prestarted = first.startedAt() < start;
        CompletableFuture<Void> oracles = CompletableFuture.runAsync(this::warmOracles);
        StudentCompiler.Result compiled;
        List<Step> build;
        try {
            build = Catalog.load().withRequirements(step);
            compiled = StudentCompiler.compile(root, build.stream().map(s -> root.resolve(s.sourceDir())).toList(),
                    classes);
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
        StepReport.Compilation compilation =
                new StepReport.Compilation(compiled.success(), compiled.messages(), compiled.millis());
        if (!compiled.success()) {
            jvms.giveBack(jvmOptions, first);
            return report(compileErrors(compiled, build, list), compilation, reference, null,
                    new StepReport.Timing(millis(start), compiled.millis(), 0, 0, 0));
        }
        Map<String, String> violations = KernelAudit.of(List.of(classes)).violations(checks.kernels());
        try {
            oracles.join();
        } catch (CompletionException e) {
            first.close();
            throw new GradingUnavailableException("libtorch does not load for the checks: " + e.getCause());
        }
        Judge judge = new Judge(step, guide, options.seed(), timeout(), violations, cudaMissing());
        Supplier<StudentLink> links = new Supplier<>() {
            private boolean firstUsed;

            @Override
            public StudentLink get() {
                StudentJvm jvm = firstUsed ? jvms.take(jvmOptions) : first;
                firstUsed = true;
                jvm.awaitReady(List.of(classes));
                return jvm;
            }
        };
        Judge.Run run;
        boolean cancelled = true;
        try (NDManager base = NDManager.newBaseManager()) {
            run = judge.run(list, links, base);
            cancelled = false;
        } finally {
            first.close();
            if (!cancelled) {
                jvms.replenish(jvmOptions); // after a Ctrl-C the student is busy elsewhere: no JVM kept waiting
            }
        }
        return report(run.results(), compilation, reference, StepReport.Isolation.of(sandbox),
                new StepReport.Timing(millis(start), compiled.millis(), prestarted ? -1 : run.jvmStartMs(),
                        prestarted ? -1 : run.libtorchMs(), run.checksMs()));
    }

    /**
     * For a long-lived process (the REPL) before its first check: the oracles' libtorch loaded and the
     * compiler warmed here, and the student JVM of this step's next check started.
     */
    public void prepare(Path root, Path buildDir) {
        StudentJvms.shared().replenish(jvmOptions(root, buildDir));
        warmOracles();
        StudentCompiler.warmUp();
    }

    /** The student JVM a check of this build folder gets: the same for every check of it, so a spare fits. */
    private StudentJvm.Options jvmOptions(Path root, Path buildDir) {
        Path classes = buildDir.resolve("classes");
        createDirectories(classes);
        return new StudentJvm.Options(Sandbox.resolve(options.sandbox()), List.of(classes), options.memoryLimitBytes(),
                secrets(root), checks.usesFusedKernels());
    }

    private void warmOracles() {
        Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager()) {
            checks.warmUp(m);
        }
    }

    /** Why CUDA checks cannot run here, or null when libtorch sees a GPU. */
    public static String cudaMissing() {
        return Engine.getEngine("PyTorch").getGpuCount() > 0 ? null
                : "no CUDA device: libtorch sees no GPU, and its flash kernel runs only on CUDA "
                        + "(the CPU checks above run the same contract through per-sequence SDPA)";
    }

    /**
     * What the student JVM must not see even where it lies inside a folder it is shown: the tutor's own
     * classes and course files, and the workspace (whose compiled classes it gets on their own).
     */
    private static List<Path> secrets(Path root) {
        List<Path> secrets = new ArrayList<>();
        secrets.add(StudentApiJar.tutorCodeSource());
        String home = System.getProperty("tutor.home");
        if (home != null) {
            secrets.add(Path.of(home));
        }
        secrets.add(root.toAbsolutePath());
        return secrets;
    }

    private List<CheckResult> compileErrors(StudentCompiler.Result compiled, List<Step> build, List<Check> list) {
        String firstError = compiled.messages().stream().filter(m -> m.kind().equals("ERROR")).findFirst()
                .map(m -> m + builtOn(m, build)).orElse("the compiler failed");
        String question = guide.questionForSituation("COMPILE_ERROR").orElse(null);
        return list.stream().map(c -> notRun(c, "does not compile: " + firstError).withQuestion(question)).toList();
    }

    /**
     * A check that cannot run for a reason of the student's: an ERROR, unless it could not have run here
     * anyway (a CUDA check without a GPU), which stays SKIPPED so that the points at stake do not change.
     */
    public static CheckResult notRun(Check check, String why) {
        String noCuda = check.cuda() ? cudaMissing() : null;
        return noCuda != null ? CheckResult.of(check.spec(), Outcome.SKIPPED, noCuda)
                : CheckResult.of(check.spec(), Outcome.ERROR, why);
    }

    /** Says so when a compile error lies in an earlier step's code that this step builds on. */
    private String builtOn(StudentCompiler.Message message, List<Step> build) {
        if (message.file() == null) {
            return "";
        }
        String file = message.file().replace('\\', '/');
        return build.stream()
                .filter(s -> !s.id().equals(step.id()) && file.startsWith(s.sourceDir() + "/"))
                .findFirst()
                .map(s -> " (" + step.id() + " compiles your " + s.id() + " code too, because it calls it)")
                .orElse("");
    }

    private StepReport report(List<CheckResult> results, StepReport.Compilation compilation, boolean reference,
            StepReport.Isolation isolation, StepReport.Timing timing) {
        return new StepReport(StepReport.SCHEMA, StepReport.SCHEMA_VERSION, step.id(), step.title(),
                StepReport.statusOf(compilation.ok(), results),
                StepReport.count(results, Outcome.PASS), results.size(), StepReport.count(results, Outcome.FAIL),
                StepReport.count(results, Outcome.NOT_IMPLEMENTED), StepReport.count(results, Outcome.ERROR),
                StepReport.count(results, Outcome.SKIPPED), options.seed(), step.tolerance(), reference, isolation,
                compilation, results, timing);
    }

    private Duration timeout() {
        return options.timeout() != null ? options.timeout() : Duration.ofSeconds(step.timeoutSeconds());
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir, e);
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
