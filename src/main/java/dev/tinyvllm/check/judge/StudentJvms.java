package dev.tinyvllm.check.judge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where a check gets its student JVM. A one-shot command starts one when it needs it; a long-lived
 * process (the REPL, the check daemon) keeps a spare per kind of check, started right after the last
 * check of that kind, so the next one finds libtorch already loaded over there. A spare never runs
 * student code before its check: each check's student code gets a JVM of its own, used once.
 */
public final class StudentJvms {

    private static final StudentJvms SHARED = new StudentJvms();
    /** Spares beyond this many are ended, the least recently made first. */
    private static final int MAX_SPARES = 2;
    /** A spare nobody took for this long is ended: it holds a few hundred MB. */
    private static final long SPARE_LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(20);

    private record Spare(StudentJvm jvm, long madeAt) {}

    private final Map<StudentJvm.Options, Spare> spares = new LinkedHashMap<>();
    private volatile boolean keepSpares;

    private StudentJvms() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeSpares, "student-jvm-spares"));
    }

    /** The process-wide source: one-shot commands and long-lived processes alike. */
    public static StudentJvms shared() {
        return SHARED;
    }

    /** Whether to keep a spare after each check (the REPL and the daemon do). */
    public void keepSpares(boolean keep) {
        keepSpares = keep;
        if (!keep) {
            closeSpares();
        }
    }

    /** A student JVM for these options: the spare when there is a live one, else one started now. */
    public StudentJvm take(StudentJvm.Options options) {
        Spare spare;
        synchronized (this) {
            spare = spares.remove(options);
        }
        if (spare != null && spare.jvm().alive()) {
            return spare.jvm();
        }
        if (spare != null) {
            spare.jvm().close();
        }
        return StudentJvm.start(options);
    }

    /**
     * Gives back a JVM that never received student classes (the code did not compile): it is as good as
     * new, so it becomes the spare instead of being thrown away.
     */
    public void giveBack(StudentJvm.Options options, StudentJvm unused) {
        if (!keepSpares || !unused.alive()) {
            unused.close();
            return;
        }
        synchronized (this) {
            Spare old = spares.put(options, new Spare(unused, System.nanoTime()));
            if (old != null && old.jvm() != unused) {
                old.jvm().close();
            }
        }
    }

    /** After a check: start the spare for the next check of the same kind, in the background. */
    public void replenish(StudentJvm.Options options) {
        if (!keepSpares) {
            return;
        }
        CompletableFuture.runAsync(() -> {
            StudentJvm jvm;
            try {
                jvm = StudentJvm.start(options);
            } catch (RuntimeException e) {
                return; // the next check starts its own and reports what goes wrong
            }
            synchronized (this) {
                Spare old = spares.put(options, new Spare(jvm, System.nanoTime()));
                if (old != null) {
                    old.jvm().close();
                }
                long now = System.nanoTime();
                spares.values().removeIf(s -> {
                    boolean stale = now - s.madeAt() > SPARE_LIFETIME_NANOS || !s.jvm().alive();
                    if (stale) {
                        s.jvm().close();
                    }
                    return stale;
                });
                while (spares.size() > MAX_SPARES) {
                    StudentJvm.Options eldest = spares.keySet().iterator().next();
                    spares.remove(eldest).jvm().close();
                }
            }
        });
    }

    private synchronized void closeSpares() {
        spares.values().forEach(s -> s.jvm().close());
        spares.clear();
    }
}
