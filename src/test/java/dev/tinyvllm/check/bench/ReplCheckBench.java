package dev.tinyvllm.check.bench;

import dev.tinyvllm.check.CheckOptions;
import dev.tinyvllm.check.CheckRuns;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StudentApiJar;
import dev.tinyvllm.curriculum.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The REPL's {@code /check} after the student edited one file: what {@code tutor} does in its shell
 * (student JVM, libtorch and compiler made ready when the session opens, a spare kept between checks),
 * with a change to Attention.java before each check and a pause for the edit in between.
 *
 * <p>Usage (scripts/bench-check runs it): {@code ReplCheckBench [CHECKS] [PAUSE_MS]}
 */
public final class ReplCheckBench {

    private ReplCheckBench() {}

    public static void main(String[] args) throws Exception {
        int checks = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long pauseMs = args.length > 1 ? Long.parseLong(args[1]) : 3000;
        Path dir = Files.createTempDirectory("repl-check-bench-");
        Workspace.init(dir, Catalog.load(), StudentApiJar.build());
        Workspace ws = Workspace.require(dir);
        Step step = Catalog.load().requireStep("week1/attention");
        Path file = dir.resolve("src/main/java/week1/attention/Attention.java");
        String solution = new String(CheckRuns.class.getClassLoader()
                .getResourceAsStream("reference-solutions/week1/attention/src/main/java/week1/attention/Attention.java")
                .readAllBytes());
        CheckOptions options = CheckOptions.defaults();
        CheckRuns.prepare(ws, step, options); // as the shell does when it opens
        Thread.sleep(pauseMs);
        List<Long> walls = new ArrayList<>();
        List<Long> compiles = new ArrayList<>();
        List<Long> checksMs = new ArrayList<>();
        for (int i = 0; i < checks; i++) {
            Files.writeString(file, solution + "\n// edit " + i + "\n");
            long start = System.nanoTime();
            StepReport report = CheckRuns.workspace(ws, step, options);
            walls.add((System.nanoTime() - start) / 1_000_000);
            if (System.getenv("REPL_BENCH_VERBOSE") != null) {
                System.out.println("  check " + i + ": " + walls.get(i) + " ms wall, " + report.timing());
            }
            compiles.add(report.timing().compileMs());
            checksMs.add(report.timing().checksMs());
            if (!report.status().equals("PASS")) {
                throw new IllegalStateException("the reference did not pass: " + report.status());
            }
            Thread.sleep(pauseMs);
        }
        System.out.printf(Locale.ROOT, "repl /check after editing Attention.java, %d checks, %d ms apart: median %d ms "
                + "wall (compile %d ms, checks %d ms); each: %s%n", checks, pauseMs, median(walls), median(compiles),
                median(checksMs), walls);
        System.exit(0);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
