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

    /** A spare being started, or started: a check that comes meanwhile waits for it rather than starting another. */
    private record Spare(CompletableFuture<StudentJvm> jvm, long madeAt) {

        static Spare of(StudentJvm jvm) {
            return new Spare(CompletableFuture.completedFuture(jvm), System.nanoTime());
        }

        /** The JVM when it started and still runs; null otherwise. */
        StudentJvm live() {
            try {
                StudentJvm j = jvm.join();
                return j.alive() ? j : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        void close() {
            jvm.thenAccept(StudentJvm::close);
        }

        /** Closes it now, waiting for a start under way: a JVM about to exit must leave no sandbox behind. */
        void closeNow() {
            try {
                jvm.get(30, TimeUnit.SECONDS).close();
            } catch (Exception e) {
                jvm.thenAccept(StudentJvm::close);
            }
        }
    }

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
        StudentJvm live = spare == null ? null : spare.live();
        if (live != null) {
            return live;
        }
        if (spare != null) {
            spare.close();
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
        keep(options, Spare.of(unused));
    }

    /**
     * After a check: start the spare for the next check of the same kind. It is registered at once and
     * started in the background, so a check that comes before it is ready waits for it.
     */
    public void replenish(StudentJvm.Options options) {
        if (!keepSpares) {
            return;
        }
        keep(options, new Spare(CompletableFuture.supplyAsync(() -> StudentJvm.start(options)), System.nanoTime()));
    }

    private synchronized void keep(StudentJvm.Options options, Spare spare) {
        Spare old = spares.put(options, spare);
        if (old != null) {
            old.close();
        }
        long now = System.nanoTime();
        spares.values().removeIf(s -> {
            boolean stale = now - s.madeAt() > SPARE_LIFETIME_NANOS;
            if (stale) {
                s.close();
            }
            return stale;
        });
        while (spares.size() > MAX_SPARES) {
            StudentJvm.Options eldest = spares.keySet().iterator().next();
            spares.remove(eldest).close();
        }
    }

    private synchronized void closeSpares() {
        spares.values().forEach(Spare::closeNow);
        spares.clear();
    }
}
