package dev.tinyvllm.review.bench;

import dev.tinyvllm.review.Review;
import dev.tinyvllm.review.ReviewFormat;
import dev.tinyvllm.review.Reviewer;
import dev.tinyvllm.transcript.Transcripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How long {@code tutor review} takes on a class's folder, inside one JVM: generates the sessions,
 * then times reading alone (the baseline: what the tolerant reader costs), the whole review, and
 * each report format, cold (first run in this JVM) and warm (median of several). The launcher's
 * end-to-end time, JVM start included, is measured by {@code scripts/bench-review}.
 *
 * <p>Usage: {@code ReviewBench [SESSIONS (default 200)] [RUNS (default 7)] [DIR to keep the sessions in]}
 */
public final class ReviewBench {

    private ReviewBench() {}

    public static void main(String[] args) throws IOException {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("review-bench");
        Files.createDirectories(dir);

        long t0 = System.nanoTime();
        List<Path> files = SyntheticSessions.write(dir, sessions, 1);
        double generateMs = ms(System.nanoTime() - t0);
        long bytes = 0;
        long lines = 0;
        for (Path f : files) {
            bytes += Files.size(f);
            lines += Files.readAllLines(f).size();
        }
        System.out.printf(Locale.ROOT, "%d sessions, %d lines, %.1f MB under %s (written in %.0f ms)%n",
                files.size(), lines, bytes / 1e6, dir, generateMs);

        Reviewer reviewer = Reviewer.bundled();
        List<Path> input = List.of(dir);
        Timing read = time(runs, () -> {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".jsonl")).forEach(Transcripts::read);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Timing review = time(runs, () -> reviewer.review(input));
        Review r = reviewer.review(input);
        System.out.printf(Locale.ROOT, "%-34s %10s %10s%n", "", "cold ms", "warm ms");
        print("read every file (baseline)", read, null);
        print("review: read + figures + class", review, read);
        for (ReviewFormat format : ReviewFormat.values()) {
            Timing render = time(runs, () -> format.render(r));
            print("render " + format.name().toLowerCase(Locale.ROOT) + " (" + kb(format.render(r)) + ")", render, null);
        }
        Timing all = time(runs, () -> ReviewFormat.HTML.render(reviewer.review(input)));
        print("review + html, in all", all, read);
        System.out.printf(Locale.ROOT, "%d students, %d steps, %d tutor messages, %d flagged, %d files with notes%n",
                r.summary().totals().students(), r.summary().steps().size(), r.summary().totals().tutorMessages(),
                r.summary().totals().flaggedMessages(), r.inputsWithProblems().size());
    }

    private record Timing(double coldMs, double warmMs) {}

    private static Timing time(int runs, Runnable task) {
        long start = System.nanoTime();
        task.run();
        double cold = ms(System.nanoTime() - start);
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            start = System.nanoTime();
            task.run();
            warm.add(ms(System.nanoTime() - start));
        }
        warm.sort(Comparator.naturalOrder());
        return new Timing(cold, warm.get(warm.size() / 2));
    }

    private static void print(String what, Timing t, Timing baseline) {
        String ratio = baseline == null ? "" : String.format(Locale.ROOT, "  (%.2f× the baseline, warm)", t.warmMs() / baseline.warmMs());
        System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f%s%n", what, t.coldMs(), t.warmMs(), ratio);
    }

    private static String kb(String s) {
        return String.format(Locale.ROOT, "%.0f kB", s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 1024.0);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
