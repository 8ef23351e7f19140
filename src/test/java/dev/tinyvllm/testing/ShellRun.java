package dev.tinyvllm.testing;

import dev.tinyvllm.check.CheckOptions;
import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.transcript.TranscriptLine;
import dev.tinyvllm.transcript.Transcripts;
import dev.tinyvllm.tutor.TutorConfig;
import dev.tinyvllm.tutor.shell.ShellLauncher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/**
 * The real shell in this JVM on a dumb terminal: lines piped in, everything it prints captured,
 * and the transcript it wrote read back with the project's reader.
 */
public final class ShellRun {

    /** What a session printed and logged. */
    public record Result(String output, Path transcript, List<TranscriptLine> lines) {

        public List<TranscriptEvent> events() {
            return lines.stream().map(TranscriptLine::event).toList();
        }

        public <T extends TranscriptEvent> List<T> events(Class<T> type) {
            return events().stream().filter(type::isInstance).map(type::cast).toList();
        }

        public List<TranscriptEvent.TutorMessage> tutorMessages() {
            return events(TranscriptEvent.TutorMessage.class);
        }

        /** The tutor's answers as printed (each on its "tutor: " line). */
        public List<String> printedAnswers() {
            List<String> out = new ArrayList<>();
            for (String line : output.split("\n")) {
                String l = line.startsWith("you> ") ? line.substring("you> ".length()) : line;
                if (l.startsWith("tutor: ")) {
                    out.add(l.substring("tutor: ".length()));
                }
            }
            return out;
        }
    }

    private ShellRun() {}

    /** A session in {@code start} with {@code env} as the whole environment, {@code lines} typed, then end of input. */
    public static Result run(Path start, Map<String, String> env, Path home, TutorConfig.Flags flags, String... lines) {
        return run(new ShellLauncher.Request(start, null, flags, CheckOptions.defaults(), Duration.ZERO), env, home, lines);
    }

    public static Result run(ShellLauncher.Request request, Map<String, String> env, Path home, String... lines) {
        String input = lines.length == 0 ? "" : String.join("\n", lines) + "\n";
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Path sessions = sessionsDir(request.start(), env, home);
        List<Path> before = list(sessions);
        try (Terminal terminal = new DumbTerminal("tutor", Terminal.TYPE_DUMB,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, StandardCharsets.UTF_8)) {
            ShellLauncher.run(request, new ShellLauncher.Environment(env, home, Clock.systemUTC()), terminal, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> after = new ArrayList<>(list(sessions));
        after.removeAll(before);
        if (after.size() != 1) {
            throw new AssertionError("expected one new transcript in " + sessions + ", found " + after);
        }
        Transcripts.Transcript t = Transcripts.read(after.get(0));
        return new Result(output.toString(StandardCharsets.UTF_8), after.get(0), t.lines());
    }

    private static Path sessionsDir(Path start, Map<String, String> env, Path home) {
        return dev.tinyvllm.curriculum.Workspace.locate(start).map(w -> w.stateDir().resolve("sessions"))
                .orElse(ShellLauncher.stateDir(new ShellLauncher.Environment(env, home, Clock.systemUTC())).resolve("sessions"));
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
