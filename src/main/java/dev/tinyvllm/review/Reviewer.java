package dev.tinyvllm.review;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.leak.ReferenceSolutions;
import dev.tinyvllm.transcript.Transcripts.Transcript;
import dev.tinyvllm.transcript.Transcripts;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reviews files and folders of transcripts: finds the {@code *.jsonl} files under each folder (the
 * {@code .tutor/sessions} of one workspace, or a class's collection of them), reads each with the
 * tolerant reader, and goes on past every file it cannot use, saying why. Files are read one at a
 * time and line by line within {@link Transcripts.Limits}, so one huge file is listed as too large
 * instead of exhausting the heap.
 */
public final class Reviewer {

    private static final String TRANSCRIPT_SUFFIX = ".jsonl";

    private final SessionAnalyzer analyzer;
    private final ClassAggregator aggregator;
    private final Transcripts.Limits limits;

    public Reviewer(SessionAnalyzer analyzer, ClassAggregator aggregator) {
        this(analyzer, aggregator, Transcripts.Limits.DEFAULT);
    }

    public Reviewer(SessionAnalyzer analyzer, ClassAggregator aggregator, Transcripts.Limits limits) {
        this.analyzer = analyzer;
        this.aggregator = aggregator;
        this.limits = limits;
    }

    /** The same reviewer reading files within other limits (tests use small ones). */
    public Reviewer withLimits(Transcripts.Limits other) {
        return new Reviewer(analyzer, aggregator, other);
    }

    /** Measures overlap against the reference solutions bundled in the tutor. */
    public static Reviewer bundled() {
        Catalog catalog = Catalog.load();
        ReferenceSolutions references = new ReferenceSolutions(catalog);
        return new Reviewer(new SessionAnalyzer(references::forStep), new ClassAggregator(courseOrder(catalog)));
    }

    /** Step ids in course order, for sorting; unknown steps sort after the known ones. */
    static List<String> courseOrder(Catalog catalog) {
        return catalog.entries().stream().map(Catalog.Entry::id).toList();
    }

    /** A file to read and the folder it was found under (null when it was named itself). */
    private record Found(Path file, Path root) {}

    /**
     * @throws IllegalArgumentException when the paths hold no file at all to review (every path is
     *     missing, or holds no {@code *.jsonl}); a file that is there but is no transcript is reviewed
     *     as unreadable instead
     */
    public Review review(List<Path> paths) {
        List<Review.InputFile> inputs = new ArrayList<>();
        List<Found> found = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                found.addAll(walk(path, inputs));
            } else if (Files.exists(path)) {
                found.add(new Found(path, null));
            } else {
                inputs.add(new Review.InputFile(path.toString(), "unreadable", List.of("no such file or folder")));
            }
        }
        if (found.isEmpty()) {
            List<String> reasons = new ArrayList<>();
            for (Path path : paths) {
                reasons.add(path + (Files.exists(path) ? ": no transcripts (*" + TRANSCRIPT_SUFFIX + ") in it" : ": no such file or folder"));
            }
            throw new IllegalArgumentException("nothing to review: " + String.join("; ", reasons));
        }
        List<SessionReview> sessions = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Found f : found) {
            Transcript transcript = Transcripts.read(f.file(), limits);
            if (!transcript.readable()) {
                inputs.add(new Review.InputFile(f.file().toString(), "unreadable", transcript.problems()));
                continue;
            }
            SessionReview session = analyzer.analyze(transcript, studentFromPath(f));
            String key = session.session() + "@" + session.start();
            String first = seen.putIfAbsent(key, session.file());
            if (first != null) {
                inputs.add(new Review.InputFile(session.file(), "duplicate",
                        List.of("the same session as " + first + " (counted once)")));
                continue;
            }
            inputs.add(new Review.InputFile(session.file(), "reviewed", session.problems()));
            sessions.add(session);
        }
        sessions.sort(Comparator.comparing(SessionReview::start).thenComparing(SessionReview::file));
        return new Review(inputs, sessions, aggregator.aggregate(sessions));
    }

    private static List<Found> walk(Path root, List<Review.InputFile> inputs) {
        List<Found> out = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.getFileName().toString().endsWith(TRANSCRIPT_SUFFIX)) {
                        out.add(new Found(file, root));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    inputs.add(new Review.InputFile(file.toString(), "unreadable", List.of("cannot read: " + e)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            inputs.add(new Review.InputFile(root.toString(), "unreadable", List.of("cannot list: " + e.getMessage())));
        }
        out.sort(Comparator.comparing(f -> f.file().toString()));
        return out;
    }

    /**
     * The student as the folders tell it: a transcript in {@code <workspace>/.tutor/sessions/} belongs
     * to that workspace, named relative to the folder under review ({@code alice} for
     * {@code class/alice/.tutor/sessions/x.jsonl} when reviewing {@code class}). Null when the file
     * is not in that layout.
     */
    static String studentFromPath(Path file, Path root) {
        Path sessions = file.toAbsolutePath().normalize().getParent();
        if (sessions == null || sessions.getFileName() == null || !sessions.getFileName().toString().equals("sessions")) {
            return null;
        }
        Path state = sessions.getParent();
        if (state == null || state.getFileName() == null || !state.getFileName().toString().equals(".tutor")) {
            return null;
        }
        Path workspace = state.getParent();
        if (workspace == null) {
            return null;
        }
        if (root != null) {
            Path base = root.toAbsolutePath().normalize();
            if (workspace.startsWith(base) && !workspace.equals(base)) {
                return base.relativize(workspace).toString();
            }
        }
        return workspace.getFileName() == null ? workspace.toString() : workspace.getFileName().toString();
    }

    private static String studentFromPath(Found f) {
        return studentFromPath(f.file(), f.root());
    }
}
