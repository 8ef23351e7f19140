package dev.tinyvllm.check.judge;

import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.Check;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.text.Clean;
import dev.tinyvllm.check.GradingUnavailableException;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StudentFailure;
import dev.tinyvllm.check.WrongOutput;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepGuide;
import dev.tinyvllm.host.wire.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a step's checks, here in the trusted process, against the student's code in a student JVM:
 * inputs, expected values, mutant matching, probes and every status are decided on this side. When the
 * student JVM times out, exits, crashes, eats memory or says something that is not an answer, the
 * running check gets that as its ERROR, the rest of its function's checks are not run (they would fail
 * alike), and a fresh student JVM takes over the other functions.
 */
public final class Judge {

    /** The device a CUDA check's arrays live on in the student JVM, as DJL's {@code Device.fromName} reads it. */
    static final String CUDA_DEVICE = "gpu0";

    /** The longest text a result keeps of what the student's code printed or threw. */
    static final int OUTPUT_LIMIT = 4000;

    /** Where the run went, for the report. */
    public record Run(List<CheckResult> results, long jvmStartMs, long libtorchMs, long checksMs) {}

    private final Step step;
    private final StepGuide guide;
    private final long seed;
    private final Duration timeout;
    private final Map<String, String> kernelViolations;
    private final String cudaMissing;

    /**
     * @param kernelViolations per function, why it breaks the step's kernel rule
     * @param cudaMissing why CUDA checks cannot run here, or null when they can
     */
    public Judge(Step step, StepGuide guide, long seed, Duration timeout, Map<String, String> kernelViolations,
            String cudaMissing) {
        this.step = step;
        this.guide = guide;
        this.seed = seed;
        this.timeout = timeout;
        this.kernelViolations = kernelViolations;
        this.cudaMissing = cudaMissing;
    }

    /**
     * @param links gives a ready student JVM each time one is needed (the first may have been started
     *     long before); it throws {@link GradingUnavailableException} when none can start
     * @param base the judge's manager; each check gets a sub-manager closed after it
     */
    public Run run(List<Check> checks, Supplier<StudentLink> links, NDManager base) throws InterruptedException {
        Map<String, CheckResult> results = new LinkedHashMap<>();
        Map<String, String> stopped = new HashMap<>(); // function -> why its checks are not run
        StudentLink link = null;
        long jvmStartMs = -1;
        long libtorchMs = -1;
        long checksMs = 0;
        try {
            for (Check check : checks) {
                if (Thread.interrupted()) {
                    // Cancelled (Ctrl-C in the REPL): no verdict at all, rather than a report of stopped checks.
                    throw new InterruptedException("the check was stopped");
                }
                Optional<CheckResult> early = beforeRunning(check, results, stopped);
                if (early.isPresent()) {
                    results.put(check.id(), early.get());
                    continue;
                }
                if (link == null) {
                    try {
                        link = links.get();
                    } catch (GradingUnavailableException e) {
                        if (results.isEmpty()) {
                            throw e;
                        }
                        results.put(check.id(), error(check, "not run: the student JVM could not be restarted: "
                                + e.getMessage(), null));
                        continue;
                    }
                    if (jvmStartMs < 0 && link instanceof StudentJvm jvm) {
                        jvmStartMs = jvm.jvmStartMs();
                        libtorchMs = jvm.libtorchMs();
                    }
                }
                long start = System.nanoTime();
                CheckResult result;
                try {
                    result = runOne(check, link, base);
                } catch (StudentJvmStopped s) {
                    link.close();
                    link = null;
                    if (Thread.currentThread().isInterrupted()) {
                        Thread.interrupted();
                        throw new InterruptedException("the check was stopped");
                    }
                    result = stoppedResult(check, s);
                    stopped.put(check.function(), check.id() + " because " + because(s));
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                checksMs += millis;
                results.put(check.id(), withQuestion(result.withOutput(result.output(), millis)));
            }
        } finally {
            if (link != null) {
                link.close();
            }
        }
        return new Run(List.copyOf(results.values()), jvmStartMs, libtorchMs, checksMs);
    }

    /** The result of a check that is not run: skipped, not allowed, or after its function was stopped. */
    private Optional<CheckResult> beforeRunning(Check check, Map<String, CheckResult> results,
            Map<String, String> stopped) {
        if (check.dependsOn() != null) {
            CheckResult dependency = results.get(check.dependsOn());
            if (dependency == null || dependency.status() != Outcome.PASS) {
                return Optional.of(CheckResult.of(check.spec(), Outcome.SKIPPED, "not run: it needs "
                        + check.dependsOn() + " to pass first (" + (dependency == null ? "not run" : dependency.status())
                        + ")"));
            }
        }
        if (check.cuda() && cudaMissing != null) {
            return Optional.of(CheckResult.of(check.spec(), Outcome.SKIPPED, cudaMissing));
        }
        String violation = kernelViolations.get(check.function());
        if (violation != null) {
            return Optional.of(withSituation(CheckResult.of(check.spec(), Outcome.FAIL, violation), "KERNEL_NOT_ALLOWED"));
        }
        String why = stopped.get(check.function());
        if (why != null) {
            return Optional.of(error(check, "not run: " + check.function() + " was stopped in " + why, null));
        }
        return Optional.empty();
    }

    private CheckResult runOne(Check check, StudentLink link, NDManager base) {
        link.deadline(System.nanoTime() + timeout.toNanos());
        Message began = link.exchange(new Message.Begin(check.id(), check.cuda() ? CUDA_DEVICE : null));
        if (!(began instanceof Message.Began)) {
            throw new StudentJvmStopped(StudentJvmStopped.Reason.PROTOCOL, "the student JVM answered the start of a "
                    + "check with " + began.getClass().getSimpleName());
        }
        CheckResult result;
        try (NDManager manager = base.newSubManager()) {
            CheckContext ctx = new CheckContext(check, step, seed, manager, new RemoteStudent(link, manager), link.inputs());
            result = judged(check, ctx);
        }
        Message ended = link.exchange(new Message.End());
        if (!(ended instanceof Message.Ended e)) {
            throw new StudentJvmStopped(StudentJvmStopped.Reason.PROTOCOL, "the student JVM answered the end of a "
                    + "check with " + ended.getClass().getSimpleName());
        }
        return result.withOutput(output(e.output(), link.console()), 0);
    }

    /** The body's verdict, or the student's failure or wrong output as the check's result. */
    private static CheckResult judged(Check check, CheckContext ctx) {
        try {
            CheckResult result = check.body().run(ctx);
            if (result == null) {
                throw new IllegalStateException("the check " + check.id() + " gave no result");
            }
            return result;
        } catch (StudentFailure f) {
            return CheckResult.of(check.spec(), f.outcome(), Clean.text(f.getMessage(), OUTPUT_LIMIT));
        } catch (WrongOutput w) {
            return new CheckResult(check.id(), check.function(), check.description(), Outcome.FAIL,
                    Clean.text(w.getMessage(), OUTPUT_LIMIT), CheckContext.names(w.tags()), null, null, null, null,
                    w.expectedShape(), w.actualShape(), null, 0);
        } catch (StudentJvmStopped | GradingUnavailableException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            return CheckResult.of(check.spec(), Outcome.ERROR, "the checker failed on this check (a bug of the tutor, "
                    + "not of your code): " + e);
        }
    }

    private CheckResult stoppedResult(Check check, StudentJvmStopped s) {
        String function = check.function();
        return switch (s.reason()) {
            case TIMEOUT -> error(check, function + " did not finish within " + timeout.toSeconds() + " s and was stopped",
                    "TIMEOUT");
            case MEMORY -> error(check, function + " " + s.getMessage() + ", and was stopped", "MEMORY");
            case EXIT -> error(check, function + " " + s.getMessage() + ", which ends the program that runs it; "
                    + "return a result instead", "EXIT");
            case CRASH -> error(check, "the JVM running " + function + " crashed: it " + s.getMessage(), "CRASH");
            case PROTOCOL -> error(check, "the JVM running " + function + " broke the grading conversation: "
                    + s.getMessage(), "PROTOCOL");
        };
    }

    private static String because(StudentJvmStopped s) {
        return switch (s.reason()) {
            case TIMEOUT -> "it timed out";
            case MEMORY -> "it used too much memory";
            case EXIT -> "it called System.exit";
            case CRASH -> "it crashed the JVM";
            case PROTOCOL -> "its JVM broke the grading conversation";
        };
    }

    private CheckResult error(Check check, String message, String situation) {
        CheckResult r = CheckResult.of(check.spec(), Outcome.ERROR, Clean.text(message, OUTPUT_LIMIT));
        return situation == null ? r : withSituation(r, situation);
    }

    private static String output(String printed, String console) {
        List<String> parts = new ArrayList<>();
        if (printed != null && !printed.isEmpty()) {
            parts.add(printed);
        }
        if (console != null) {
            parts.add("[written to the console directly]\n" + console);
        }
        return parts.isEmpty() ? null : Clean.text(String.join("\n", parts), OUTPUT_LIMIT + 200);
    }

    /** The guide's question for a result: for its first tag, else for its situation. */
    private CheckResult withQuestion(CheckResult result) {
        if (result.question() != null) {
            return result;
        }
        for (String tag : result.tags()) {
            Optional<String> q = guide.questionFor(tag);
            if (q.isPresent()) {
                return result.withQuestion(q.get());
            }
        }
        return switch (result.status()) {
            case NOT_IMPLEMENTED -> result.withQuestion(firstQuestion(result.function()));
            case FAIL -> withSituation(result, "VALUES_DIFFER");
            case ERROR -> withSituation(result, "EXCEPTION");
            default -> result;
        };
    }

    private String firstQuestion(String function) {
        return step.functions().stream().filter(f -> f.name().equals(function)).findFirst()
                .flatMap(f -> guide.part(f.firstPart()))
                .flatMap(p -> p.questions().stream().findFirst()).orElse(null);
    }

    private CheckResult withSituation(CheckResult result, String situation) {
        return result.withQuestion(guide.questionForSituation(situation).orElse(null));
    }
}
