package dev.tinyvllm.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.judge.RemoteStudent;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.Tolerance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * What a check's body works with: its numbers (seeded by the run's seed and the check's id), the judge's
 * manager for its arrays, the step's tolerance, the student's classes through views, and a folder the
 * student's code can read. Everything here runs in the judge; only the views reach the student JVM.
 */
public final class CheckContext {

    private final Check check;
    private final Step step;
    private final long seed;
    private final NDManager manager;
    private final Random random;
    private final RemoteStudent student;
    private final Path inputs;

    /**
     * @param manager the judge's manager for the check, closed after it (arrays from the student come back on it)
     * @param inputs a folder the student JVM sees read-only
     */
    public CheckContext(Check check, Step step, long seed, NDManager manager, RemoteStudent student, Path inputs) {
        this.check = check;
        this.step = step;
        this.seed = seed;
        this.manager = manager;
        this.random = new Random(seed * 1_000_003L + check.id().hashCode());
        this.student = student;
        this.inputs = inputs;
    }

    public Check check() {
        return check;
    }

    public Step step() {
        return step;
    }

    public long seed() {
        return seed;
    }

    public NDManager manager() {
        return manager;
    }

    /** The check's numbers: the same on every run with the same seed, different from every other check's. */
    public Random random() {
        return random;
    }

    public Tolerance tolerance() {
        return step.tolerance();
    }

    /** The student's class (or a driver class) behind a view interface; see {@link StudentClass}. */
    public <T> T student(Class<T> view) {
        return student.classView(view);
    }

    /** A new empty folder the student's code may read (a model folder the check writes, say). */
    public Path inputFolder(String prefix) {
        try {
            return Files.createTempDirectory(inputs, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the check's inputs", e);
        }
    }

    /** An oracle's values, computed on a scratch manager closed afterwards. */
    public float[] oracle(Function<NDManager, NDArray> compute) {
        try (NDManager scratch = manager.newSubManager()) {
            return compute.apply(scratch).toFloatArray();
        }
    }

    public CheckResult pass(String message) {
        return CheckResult.of(check.spec(), Outcome.PASS, message);
    }

    public CheckResult fail(String message, Tag... tags) {
        return fail(message, Arrays.asList(tags));
    }

    public CheckResult fail(String message, List<? extends Tag> tags) {
        return CheckResult.of(check.spec(), Outcome.FAIL, message).withTags(names(tags), message);
    }

    public CheckResult skip(String reason) {
        return CheckResult.of(check.spec(), Outcome.SKIPPED, reason);
    }

    public static List<String> names(List<? extends Tag> tags) {
        return tags.stream().map(Tag::name).distinct().toList();
    }
}
