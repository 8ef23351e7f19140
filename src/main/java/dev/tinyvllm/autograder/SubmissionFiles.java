package dev.tinyvllm.autograder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a step's source files in whatever a student uploaded: the whole workspace, a folder of it, or the
 * bare files. Each expected file is looked for by its name anywhere in the tree, and only those files are
 * ever read: a submission is untrusted, and anything else in it (the tutor's state, a forged results.json,
 * build output) must not reach the grading.
 */
public final class SubmissionFiles {

    /** Far above any step's source file, far below what could hurt the grader. */
    static final long MAX_SOURCE_BYTES = 1L << 20;
    /** A submission tree is walked this deep and this far, and no further. */
    static final int MAX_DEPTH = 24;
    static final int MAX_ENTRIES = 20_000;

    /**
     * What was found for one expected file.
     *
     * @param expected the file's path in a workspace, e.g. {@code src/main/java/week1/attention/Attention.java}
     * @param found its path relative to the submission's root, when one was taken
     * @param content its bytes, when one was taken
     * @param problem why none was taken: not there, or too large
     */
    public record Found(String expected, String found, byte[] content, String problem) {

        public boolean present() {
            return content != null;
        }

        public String fileName() {
            return expected.substring(expected.lastIndexOf('/') + 1);
        }
    }

    private SubmissionFiles() {}

    /** Each expected file, in the given order, as found in {@code submission}. */
    public static Map<String, Found> find(Path submission, Collection<String> expected) {
        Map<String, List<Path>> byName = new HashMap<>();
        for (String file : expected) {
            byName.put(file.substring(file.lastIndexOf('/') + 1), new ArrayList<>());
        }
        walk(submission, byName);
        Map<String, Found> found = new LinkedHashMap<>();
        for (String file : expected) {
            found.put(file, choose(submission, file, byName.get(file.substring(file.lastIndexOf('/') + 1))));
        }
        return found;
    }

    /** Regular files only: symbolic links are never followed (one could point at anything on the machine). */
    private static void walk(Path submission, Map<String, List<Path>> byName) {
        if (!Files.isDirectory(submission, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(submission, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH,
                    new SimpleFileVisitor<>() {
                        private int entries;

                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            return ++entries > MAX_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile()) {
                                List<Path> candidates = byName.get(file.getFileName().toString());
                                if (candidates != null) {
                                    candidates.add(submission.relativize(file));
                                }
                            }
                            return ++entries > MAX_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // an unreadable corner of the upload is not ours to grade
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the submission " + submission, e);
        }
    }

    /**
     * Of several files with the expected name, the one whose path ends with most of the expected path (the
     * workspace's own file beats a stray copy), then the shallowest, then the first by name: always the same
     * choice for the same upload.
     */
    private static Found choose(Path submission, String expected, List<Path> candidates) {
        Optional<Path> best = candidates.stream()
                .min(Comparator.comparingInt((Path p) -> -commonSuffix(p, expected))
                        .thenComparingInt(Path::getNameCount)
                        .thenComparing(Path::toString));
        if (best.isEmpty()) {
            return new Found(expected, null, null, "not found in your submission");
        }
        String shown = best.get().toString().replace('\\', '/');
        Path file = submission.resolve(best.get());
        try {
            long size = Files.size(file);
            if (size > MAX_SOURCE_BYTES) {
                return new Found(expected, shown, null, shown + " is " + size + " bytes, more than the "
                        + MAX_SOURCE_BYTES + " a source file may have");
            }
            // Opened without following a link, in case the file was swapped for one since the walk.
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] content = in.readNBytes((int) MAX_SOURCE_BYTES + 1);
                if (content.length > MAX_SOURCE_BYTES) {
                    return new Found(expected, shown, null, shown + " is larger than the " + MAX_SOURCE_BYTES
                            + " bytes a source file may have");
                }
                return new Found(expected, shown, content, null);
            }
        } catch (IOException e) {
            return new Found(expected, shown, null, shown + " cannot be read: " + e.getMessage());
        }
    }

    /** How many trailing path elements {@code p} shares with {@code expected}. */
    private static int commonSuffix(Path p, String expected) {
        String[] want = expected.split("/");
        int n = 0;
        while (n < p.getNameCount() && n < want.length
                && p.getName(p.getNameCount() - 1 - n).toString().equals(want[want.length - 1 - n])) {
            n++;
        }
        return n;
    }
}
