package dev.tinyvllm.check;

import dev.tinyvllm.check.runner.Protocol;
import dev.tinyvllm.check.steps.Graders;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepGuide;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tutor check}: compile the student's step, run every check in a grading JVM that can die
 * without taking the checker along, and gather one report. A check that hangs, exits, crashes or
 * eats memory costs its own result (and its function's remaining checks); the rest still run.
 */
public final class Checker {

    private static final long START_TIMEOUT_MS = 180_000; // the first start extracts libtorch (~0.4 GB)
    private static final long POLL_MS = 100;

    private final Step step;
    private final StepGrader grader;
    private final StepGuide guide;
    private final CheckOptions options;

    public Checker(Step step, CheckOptions options) {
        this.step = step;
        this.grader = Graders.forStep(step.id())
                .orElseThrow(() -> new IllegalArgumentException("no grader for " + step.id()));
        this.guide = StepGuide.load(step);
        this.options = options;
    }

    /**
     * @param root the folder holding the sources (a workspace, or the extracted reference)
     * @param buildDir scratch space for class files
     * @param reference whether {@code root} holds the bundled reference solution
     */
    public StepReport check(Path root, Path buildDir, boolean reference) throws InterruptedException {
        long start = System.nanoTime();
        List<CheckSpec> specs = grader.checks();
        // libtorch loads in the grading JVM while this JVM compiles.
        GradingJvm jvm = GradingJvm.start(step.id(), options.seed(), buildDir);
        StudentCompiler.Result compiled;
        List<Step> build;
        try {
            build = Catalog.load().withRequirements(step);
            compiled = StudentCompiler.compile(root,
                    build.stream().map(s -> root.resolve(s.sourceDir())).toList(), buildDir.resolve("classes"));
        } catch (RuntimeException e) {
            jvm.close();
            throw e;
        }
        StepReport.Compilation compilation =
                new StepReport.Compilation(compiled.success(), compiled.messages(), compiled.millis());
        if (!compiled.success()) {
            jvm.close();
            String firstError = compiled.messages().stream().filter(m -> m.kind().equals("ERROR")).findFirst()
                    .map(m -> m + builtOn(m, build)).orElse("the compiler failed");
            List<CheckResult> results = specs.stream()
                    .map(s -> withQuestion(CheckResult.of(s, Outcome.ERROR, "does not compile: " + firstError),
                            "COMPILE_ERROR"))
                    .toList();
            return report(results, compilation, reference, new StepReport.Timing(millis(start), compiled.millis(), 0, 0, 0));
        }
        Supervision supervision = new Supervision(specs, compiled.classes());
        supervision.run(jvm);
        return report(supervision.ordered(), compilation, reference, new StepReport.Timing(millis(start),
                compiled.millis(), supervision.jvmStartMs, supervision.libtorchMs, supervision.checksMs));
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
            StepReport.Timing timing) {
        return new StepReport(StepReport.SCHEMA, StepReport.SCHEMA_VERSION, step.id(), step.title(),
                StepReport.statusOf(compilation.ok(), results),
                StepReport.count(results, Outcome.PASS), results.size(), StepReport.count(results, Outcome.FAIL),
                StepReport.count(results, Outcome.NOT_IMPLEMENTED), StepReport.count(results, Outcome.ERROR),
                StepReport.count(results, Outcome.SKIPPED), options.seed(), step.tolerance(), reference, compilation,
                results, timing);
    }

    /** Runs the checks, restarting the grading JVM after each check that takes it down. */
    private final class Supervision {
        private final List<CheckSpec> specs;
        private final Path classes;
        private final Map<String, CheckResult> results = new LinkedHashMap<>();
        private final List<CheckSpec> pending;
        long jvmStartMs = -1;
        long libtorchMs = -1;
        long checksMs;

        Supervision(List<CheckSpec> specs, Path classes) {
            this.specs = specs;
            this.classes = classes;
            this.pending = new ArrayList<>(specs);
        }

        void run(GradingJvm first) throws InterruptedException {
            GradingJvm jvm = first;
            try {
                while (!pending.isEmpty()) {
                    if (jvm == null) {
                        jvm = GradingJvm.start(step.id(), options.seed(), classes.getParent());
                    }
                    boolean again = runIn(jvm);
                    jvm.close();
                    jvm = null;
                    if (!again) {
                        break;
                    }
                }
            } finally {
                if (jvm != null) {
                    jvm.close();
                }
            }
            failAll("not run: the grading JVM stopped before reaching it");
        }

        /** Runs pending checks in one JVM; says whether a fresh JVM should take over the rest. */
        private boolean runIn(GradingJvm jvm) throws InterruptedException {
            if (!awaitReady(jvm)) {
                return false;
            }
            jvm.send(new Protocol.Request(classes.toString(), pending.stream().map(CheckSpec::id).toList()));
            long timeoutMs = timeout().toMillis();
            String current = null;
            long began = 0;
            boolean exitRequested = false;
            long checksStart = System.nanoTime();
            try {
                while (true) {
                    Optional<Protocol.Event> next = jvm.poll(POLL_MS);
                    if (next.isEmpty()) {
                        if (current != null && elapsed(began) > timeoutMs) {
                            abort(current, String.format(Locale.ROOT, "%s did not finish within %d s and was stopped",
                                    functionOf(current), timeoutMs / 1000), "TIMEOUT", "it timed out");
                            return true;
                        }
                        long rss = jvm.residentBytes();
                        if (current != null && rss > options.memoryLimitBytes()) {
                            abort(current, String.format(Locale.ROOT, "%s used %d MiB of memory, over the limit of %d MiB, "
                                    + "and was stopped", functionOf(current), rss >> 20,
                                    options.memoryLimitBytes() >> 20), "MEMORY", "it used too much memory");
                            return true;
                        }
                        continue;
                    }
                    Protocol.Event event = next.get();
                    switch (event.type()) {
                        case "begin" -> {
                            current = event.check();
                            began = System.nanoTime();
                        }
                        case "result" -> {
                            record(attachQuestion(event.result()));
                            current = null;
                        }
                        case "exit" -> exitRequested = true;
                        case "done" -> {
                            jvm.finish();
                            return false;
                        }
                        case "end" -> {
                            Integer code = jvm.exitCode();
                            if (current == null) {
                                String why = "the grading JVM ended unexpectedly (exit code " + code + ")" + tail(jvm);
                                failAll(why);
                                return false;
                            }
                            if (exitRequested) {
                                abort(current, functionOf(current) + " called System.exit(" + code + "), which ends "
                                        + "the program that runs it; return a result instead", "EXIT",
                                        "it called System.exit");
                            } else {
                                abort(current, "the JVM running " + functionOf(current) + " crashed (exit code " + code
                                        + ")" + tail(jvm), "CRASH", "it crashed the JVM");
                            }
                            return true;
                        }
                        default -> {
                            // started, ready: already handled, or informational.
                        }
                    }
                }
            } finally {
                checksMs += (System.nanoTime() - checksStart) / 1_000_000;
            }
        }

        private boolean awaitReady(GradingJvm jvm) throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT_MS * 1_000_000;
            while (System.nanoTime() < deadline) {
                Optional<Protocol.Event> next = jvm.poll(POLL_MS);
                if (next.isEmpty()) {
                    continue;
                }
                Protocol.Event event = next.get();
                switch (event.type()) {
                    case "started" -> {
                        if (jvmStartMs < 0) {
                            jvmStartMs = event.millis(); // the child's own uptime when its main began
                        }
                    }
                    case "ready" -> {
                        if (libtorchMs < 0) {
                            libtorchMs = event.millis();
                        }
                        return true;
                    }
                    case "end" -> {
                        return cannotStart("it ended with exit code " + jvm.exitCode() + tail(jvm));
                    }
                    default -> {
                        // Nothing else comes before ready.
                    }
                }
            }
            return cannotStart("it did not load libtorch within " + START_TIMEOUT_MS / 1000 + " s" + tail(jvm));
        }

        /** Before any check ran this is the tutor's problem, not the student's: no report, an error. */
        private boolean cannotStart(String why) {
            if (results.isEmpty()) {
                throw new GradingUnavailableException("cannot start the grading JVM: " + why);
            }
            failAll("not run: the grading JVM could not be restarted: " + why);
            return false;
        }

        /** Ends the current check with an error; its function's other checks are not run, they would fail alike. */
        private void abort(String current, String message, String situation, String reason) {
            String function = functionOf(current);
            record(withQuestion(CheckResult.of(spec(current), Outcome.ERROR, message), situation));
            for (CheckSpec s : List.copyOf(pending)) {
                if (s.function().equals(function)) {
                    record(withQuestion(CheckResult.of(s, Outcome.ERROR,
                            "not run: " + function + " was stopped in " + current + " because " + reason), situation));
                }
            }
        }

        private void failAll(String why) {
            List.copyOf(pending).forEach(s -> record(CheckResult.of(s, Outcome.ERROR, why)));
        }

        private void record(CheckResult result) {
            pending.removeIf(s -> s.id().equals(result.id()));
            results.put(result.id(), result);
        }

        private CheckSpec spec(String id) {
            return specs.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        }

        private String functionOf(String id) {
            return spec(id).function();
        }

        List<CheckResult> ordered() {
            return specs.stream().map(s -> results.get(s.id())).toList();
        }
    }

    /** The guide's question for a result: for its first tag, else for its situation. */
    private CheckResult attachQuestion(CheckResult result) {
        for (String tag : result.tags()) {
            Optional<String> q = guide.questionFor(tag);
            if (q.isPresent()) {
                return result.withQuestion(q.get());
            }
        }
        return switch (result.status()) {
            case NOT_IMPLEMENTED -> result.withQuestion(guide.part(step.function(result.function()).firstPart())
                    .flatMap(p -> p.questions().stream().findFirst()).orElse(null));
            case FAIL -> withQuestion(result, "VALUES_DIFFER");
            case ERROR -> withQuestion(result, "EXCEPTION");
            default -> result;
        };
    }

    private CheckResult withQuestion(CheckResult result, String situation) {
        return result.withQuestion(guide.questionForSituation(situation).orElse(null));
    }

    private Duration timeout() {
        return options.timeout() != null ? options.timeout() : Duration.ofSeconds(step.timeoutSeconds());
    }

    private static String tail(GradingJvm jvm) {
        String tail = jvm.stderrTail();
        if (tail.isEmpty()) {
            return "";
        }
        String[] lines = tail.split("\n");
        int from = Math.max(0, lines.length - 6);
        return "; its last words: " + String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static long millis(long startNanos) {
        return elapsed(startNanos);
    }
}
