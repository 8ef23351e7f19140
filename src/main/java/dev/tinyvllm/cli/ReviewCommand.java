package dev.tinyvllm.cli;

import dev.tinyvllm.review.Review;
import dev.tinyvllm.review.ReviewFormat;
import dev.tinyvllm.review.Reviewer;
import dev.tinyvllm.text.Clean;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tutor review FILE|DIR...}: what happened in tutoring sessions, from their transcripts. */
@Command(name = "review", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "Review tutoring sessions from their transcripts: one student's or a whole class's.",
    "From .tutor/sessions/*.jsonl: time and checks per step, attempts until PASS, hint levels, the tutor's questions, guard interventions, code or reference text that reached "
            + "the student, what the student asked; per step over a class too. Folders are searched for *.jsonl; with "
            + "no FILE or DIR, the sessions of the current workspace are reviewed.",
    "Exit code 0: every file was reviewed; 1: some file could not be (listed in the report, the rest was reviewed); "
            + "2: bad arguments, nothing to review, or the report could not be written."})
public final class ReviewCommand implements Callable<Integer> {

    /** Exit code: the review was written, but some file could not be read as a transcript. */
    static final int SOME_INPUT_UNREADABLE = 1;

    private static final int MAX_PROBLEM_LINES = 20;

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "Transcripts, or folders to search for them.")
    List<Path> paths;

    @Mixin
    WorkspaceOption workspace;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json or html (one self-contained file with charts).")
    ReviewFormat format;

    @Option(names = {"-o", "--out", "--output"}, paramLabel = "PATH", description = "Write the review to PATH instead of the terminal.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Path> inputs = paths == null || paths.isEmpty() ? List.of(workspaceSessions()) : paths;
        Review review = Reviewer.bundled().review(inputs);
        String rendered = format.render(review);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (out != null) {
            try {
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(out, rendered, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write " + out + ": " + e.getMessage());
            }
            stdout.println("reviewed " + review.sessions().size() + " session(s) of "
                    + review.summary().totals().students() + " student(s) into " + out);
        } else {
            stdout.print(rendered);
        }
        stdout.flush();
        // The text report lists problems itself; elsewhere they would go unseen, so they go to stderr.
        if (out != null || format != ReviewFormat.TEXT) {
            reportProblems(review, stderr);
        }
        return review.everyInputReviewed() ? ExitCodes.OK : SOME_INPUT_UNREADABLE;
    }

    private Path workspaceSessions() throws IOException {
        Path sessions = workspace.require().stateDir().resolve("sessions");
        boolean any = false;
        if (Files.isDirectory(sessions)) {
            try (Stream<Path> files = Files.list(sessions)) {
                any = files.anyMatch(f -> f.getFileName().toString().endsWith(".jsonl"));
            }
        }
        if (!any) {
            throw new IllegalArgumentException("no sessions yet in " + sessions + ": they are written while `tutor` runs");
        }
        return sessions;
    }

    /** Files that could not be reviewed, one line per problem; reviewed files with notes in one line. */
    private static void reportProblems(Review review, PrintWriter err) {
        int printed = 0;
        int more = 0;
        int noted = 0;
        for (Review.InputFile input : review.inputsWithProblems()) {
            if (input.reviewed()) {
                noted++;
                continue;
            }
            for (String problem : input.problems()) {
                if (printed < MAX_PROBLEM_LINES) {
                    err.println("tutor review: " + oneLine(input.file()) + " (" + input.status() + "): " + oneLine(problem));
                    printed++;
                } else {
                    more++;
                }
            }
        }
        if (more > 0) {
            err.println("tutor review: ... and " + more + " more, listed in the report");
        }
        if (noted > 0) {
            err.println("tutor review: " + noted + " reviewed file(s) have notes (torn last line, no session_end, "
                    + "unknown events...), listed in the report");
        }
        err.flush();
    }

    /** A file name or a problem (which may quote the file) on one line of stderr, nothing in it acting on the terminal. */
    private static String oneLine(String text) {
        return Clean.text(text, 1000).replace('\n', ' ').replace('\t', ' ');
    }
}
