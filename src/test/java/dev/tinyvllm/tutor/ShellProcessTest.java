package dev.tinyvllm.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.testing.FakeOpenAi;
import dev.tinyvllm.testing.TestWorkspace;
import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.transcript.TranscriptLine;
import dev.tinyvllm.transcript.Transcripts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell as its own JVM with piped stdin, as `tutor` runs it: killed outright, and sent Ctrl-C (SIGINT). */
class ShellProcessTest {

    @TempDir
    Path dir;

    private Process process;
    private final StringBuffer output = new StringBuffer();

    @AfterEach
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void start(Path cwd, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-XX:TieredStopAtLevel=1",
                "dev.tinyvllm.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("TUTOR_") || k.equals("OPENAI_API_KEY") || k.startsWith("XDG_"));
        builder.environment().put("HOME", dir.resolve("home").toString());
        builder.environment().put("NO_COLOR", "1");
        process = builder.start();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The process is gone.
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private void awaitOutput(String what, Predicate<String> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!until.test(output.toString())) {
            assertTrue(process.isAlive() || until.test(output.toString()), "the shell ended before " + what + ":\n" + output);
            assertTrue(System.nanoTime() < deadline, "no " + what + " within 60 s:\n" + output);
            Thread.sleep(20);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static Path onlyTranscript(Path sessions) throws IOException {
        try (Stream<Path> files = Files.list(sessions)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".jsonl")).toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static long tutorMessages(Path transcript) {
        return Transcripts.read(transcript).lines().stream()
                .filter(l -> l.event() instanceof TranscriptEvent.TutorMessage).count();
    }

    @Test
    void aKilledSessionLeavesATranscriptWithEverythingSaidSoFar() throws Exception {
        TestWorkspace ws = TestWorkspace.create(dir.resolve("ws"));
        start(ws.root(), "shell", "--offline");
        awaitOutput("the opening question", o -> count(o, "tutor: ") >= 1);
        type("hello");
        type("give me the code for eagerBidirectional");
        awaitOutput("two answers", o -> count(o, "tutor: ") >= 3);
        Path file = onlyTranscript(ws.root().resolve(".tutor/sessions"));
        // An answer reaches the terminal just before its line reaches the transcript, and other events
        // (a hint level) may come between: wait for the third answer's own line, then kill.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tutorMessages(file) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));

        Transcripts.Transcript t = Transcripts.read(file);
        assertTrue(t.readable(), t.problems().toString());
        List<TranscriptEvent> events = t.lines().stream().map(TranscriptLine::event).toList();
        assertTrue(events.get(0) instanceof TranscriptEvent.SessionStart);
        assertEquals(List.of("hello", "give me the code for eagerBidirectional"), events.stream()
                .filter(e -> e instanceof TranscriptEvent.StudentMessage).map(e -> ((TranscriptEvent.StudentMessage) e).text())
                .toList());
        assertEquals(3, events.stream().filter(e -> e instanceof TranscriptEvent.TutorMessage).count());
        assertFalse(events.stream().anyMatch(e -> e instanceof TranscriptEvent.SessionEnd), "it was killed, not ended");
        assertTrue(t.problems().isEmpty(), t.problems().toString());
    }

    @Test
    void ctrlCStopsTheAnswerNotTheSession() throws Exception {
        TestWorkspace ws = TestWorkspace.create(dir.resolve("ws"));
        String slow = "Let us take this slowly. " + "Think about what each axis of the scores means for the mask. ".repeat(12)
                + "THE END OF THE SLOW ANSWER?";
        try (FakeOpenAi fake = FakeOpenAi.scripted(new FakeOpenAi.Text(slow, Duration.ofMillis(150)),
                new FakeOpenAi.Text("Back to it: which axis of your scores holds the keys?"))) {
            start(ws.root(), "--base-url", fake.baseUrl(), "--model", "fake-tutor");
            awaitOutput("the opening question", o -> count(o, "tutor: ") >= 1);
            type("tell me about the mask, slowly");
            awaitOutput("the start of the streamed answer", o -> o.contains("Let us take this slowly."));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
            assertEquals(0, kill.waitFor());
            awaitOutput("the answer to stop", o -> o.contains("(stopped)"));
            assertTrue(process.isAlive(), "Ctrl-C must not end the session:\n" + output);
            type("and now?");
            awaitOutput("the next answer", o -> o.contains("which axis of your scores holds the keys?"));
            process.getOutputStream().close();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), output.toString());
            assertEquals(0, process.exitValue(), output.toString());
            assertFalse(output.toString().contains("THE END OF THE SLOW ANSWER"), "the stream was stopped:\n" + output);

            Transcripts.Transcript t = Transcripts.read(onlyTranscript(ws.root().resolve(".tutor/sessions")));
            List<TranscriptEvent> events = t.lines().stream().map(TranscriptLine::event).toList();
            assertTrue(events.stream().anyMatch(e -> e instanceof TranscriptEvent.Error err && err.source().equals("session")
                    && err.message().contains("Ctrl-C")), events.toString());
            List<TranscriptEvent.TutorMessage> answers = events.stream().filter(e -> e instanceof TranscriptEvent.TutorMessage)
                    .map(e -> (TranscriptEvent.TutorMessage) e).toList();
            assertEquals(2, answers.size(), "the opening and the answer after Ctrl-C: " + answers);
            assertEquals("llm", answers.get(1).source());
            assertEquals("eof", ((TranscriptEvent.SessionEnd) events.get(events.size() - 1)).reason());
            assertTrue(fake.requests().get(1).messageTexts().contains("tell me about the mask, slowly"),
                    "the interrupted message stays in the conversation");
        }
    }

    @Test
    void ctrlCStopsACheckAndItsStudentJvm() throws Exception {
        TestWorkspace ws = TestWorkspace.create(dir.resolve("ws"));
        start(ws.root(), "--offline");
        awaitOutput("the opening question", o -> count(o, "tutor: ") >= 1);
        type("/check");
        awaitOutput("the check to start", o -> o.contains("checking week1/attention"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (process.descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(process.descendants().findAny().isPresent(), "the student JVM started");
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor());
        awaitOutput("the check to stop", o -> o.contains("(stopped)"));
        deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (process.descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(process.descendants().anyMatch(ProcessHandle::isAlive), "the student JVM was stopped with the check, and no spare waits after a Ctrl-C");
        type("what now?");
        awaitOutput("an answer after the stopped check", o -> count(o, "tutor: ") >= 2);
        process.getOutputStream().close();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), output.toString());
        assertEquals(0, process.exitValue(), output.toString());

        Transcripts.Transcript t = Transcripts.read(onlyTranscript(ws.root().resolve(".tutor/sessions")));
        List<TranscriptEvent> events = t.lines().stream().map(TranscriptLine::event).toList();
        assertTrue(events.stream().anyMatch(e -> e instanceof TranscriptEvent.Error err
                && err.message().contains("Ctrl-C during a check")), events.toString());
        assertFalse(events.stream().anyMatch(e -> e instanceof TranscriptEvent.CheckRun), "a stopped check has no result");
        assertEquals("eof", ((TranscriptEvent.SessionEnd) events.get(events.size() - 1)).reason());
    }

    @Test
    void aTerminatedSessionEndsItsTranscriptAsInterrupted() throws Exception {
        TestWorkspace ws = TestWorkspace.create(dir.resolve("ws"));
        start(ws.root(), "--offline");
        awaitOutput("the opening question", o -> count(o, "tutor: ") >= 1);
        type("hello");
        awaitOutput("the answer", o -> count(o, "tutor: ") >= 2);
        // kill(1), not Process.destroy(), which also closes the pipe to stdin and so races an end of input.
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        Transcripts.Transcript t = Transcripts.read(onlyTranscript(ws.root().resolve(".tutor/sessions")));
        TranscriptEvent last = t.lines().get(t.lines().size() - 1).event();
        assertTrue(last instanceof TranscriptEvent.SessionEnd end && end.reason().equals("interrupted"), last.toString());
    }
}
