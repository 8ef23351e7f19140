package dev.tinyvllm.tutor.shell;

import dev.tinyvllm.tutor.Cancellation;
import dev.tinyvllm.tutor.Session;
import dev.tinyvllm.tutor.TutorOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.AggregateCompleter;
import org.jline.reader.impl.completer.ArgumentCompleter;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Signals;

/**
 * The REPL: reads lines with JLine (history, completion), sends slash commands to the session's
 * commands and everything else to the tutor. Each answer runs on a worker thread so that Ctrl-C can
 * stop it, the LLM's stream or a check, without ending the session; Ctrl-D or {@code /quit} ends it.
 */
public final class Shell {

    static final String PROMPT = "you> ";
    static final String TUTOR_PREFIX = "tutor: ";
    private static final List<String> COMMANDS = List.of("/check", "/hint", "/step", "/status", "/files", "/help", "/quit");
    static final String HELP = String.join("\n",
            "/check [step]   grade your code (default: the current step), then a question about the result",
            "/hint           one rung up the hint ladder: concept, targeted question, experiment",
            "/step [id]      show the current step, or move to another",
            "/status         the step, the tutor, where you are, the hint rung, the last check, the transcript",
            "/files          your files for this step",
            "/help           this list",
            "/quit           leave (Ctrl-D too). Ctrl-C stops the answer or check in progress, not the session.",
            "Anything else you type goes to the tutor.");

    private final Session session;
    private final boolean processSignals;
    private final Terminal terminal;
    private final LineReader reader;
    private final PrintWriter writer;
    private final boolean styled;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tutor-turn");
        t.setDaemon(true);
        return t;
    });
    private volatile Job current;

    /** A turn in progress, and how to stop it. */
    private record Job(Cancellation cancellation, CountDownLatch done, TerminalOutput out) {}

    /**
     * @param processSignals whether the terminal is this process's own: then SIGINT during an answer
     *     is caught for the process, which a dumb terminal on a pipe would otherwise not do
     */
    public Shell(Session session, Terminal terminal, Path historyFile, boolean processSignals) {
        this.session = session;
        this.processSignals = processSignals;
        this.terminal = terminal;
        this.writer = terminal.writer();
        this.styled = !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())
                && System.getenv("NO_COLOR") == null;
        List<String> steps = session.stepIds();
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("tutor")
                .completer(new AggregateCompleter(
                        new ArgumentCompleter(new StringsCompleter("/check", "/step"), new StringsCompleter(steps),
                                NullCompleter.INSTANCE),
                        new ArgumentCompleter(new StringsCompleter(COMMANDS), NullCompleter.INSTANCE)))
                // A student's "!" is punctuation, not a history event.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) {
            try {
                Files.createDirectories(historyFile.getParent());
                builder.variable(LineReader.HISTORY_FILE, historyFile);
            } catch (IOException e) {
                // No history is a small loss; the session goes on without it.
            }
        }
        this.reader = builder.build();
        terminal.handle(Terminal.Signal.INT, signal -> stopCurrent());
    }

    /** Runs the session until /quit, Ctrl-D or the end of the input. */
    public void run() {
        TerminalOutput out = new TerminalOutput();
        String endReason = "eof";
        // SIGTERM, or SIGINT at the prompt of a dumb terminal: the transcript still gets its last line.
        Thread onExit = new Thread(() -> session.end("interrupted"), "tutor-session-end");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            session.open(out);
            while (true) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    out.note("(Ctrl-C stops an answer while it is being written; Ctrl-D or /quit leaves)");
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                long enter = System.nanoTime();
                String text = line.strip();
                if (text.isEmpty()) {
                    continue;
                }
                if (text.startsWith("/")) {
                    session.command(text);
                    if (!command(text, enter)) {
                        endReason = "quit";
                        break;
                    }
                } else {
                    runJob("an answer", (cancel, o) -> session.say(text, enter, o, cancel));
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // The JVM is going down (JLine's own hook closing the terminal is what ended the input).
                endReason = "interrupted";
            }
            session.end(endReason);
            session.close();
            worker.shutdownNow();
            writer.flush();
        }
    }

    /** Runs a slash command; false when the session should end. */
    private boolean command(String line, long enter) {
        String[] words = line.split("\\s+");
        String name = words[0].toLowerCase(Locale.ROOT);
        String arg = words.length > 1 ? words[1] : null;
        TerminalOutput out = new TerminalOutput();
        switch (name) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/help" -> out.note(HELP);
            case "/status" -> session.status(out);
            case "/files" -> session.files(out);
            case "/hint" -> session.hint(enter, out);
            case "/step" -> session.step(arg, enter, out);
            case "/check" -> {
                out.note("checking " + (arg == null ? session.step().id() : arg) + " (Ctrl-C stops it)...");
                runJob("a check", (cancel, o) -> session.check(arg, enter, o, cancel));
            }
            default -> out.note("unknown command " + words[0] + "; /help lists the commands");
        }
        return true;
    }

    /** Work that may take a while, on the worker thread; Ctrl-C (SIGINT) stops it, not the shell. */
    private interface Turn {
        void run(Cancellation cancel, TutorOutput out) throws Exception;
    }

    private void runJob(String what, Turn turn) {
        Cancellation cancel = new Cancellation();
        CountDownLatch done = new CountDownLatch(1);
        TerminalOutput out = new TerminalOutput();
        Future<?> future = worker.submit(() -> {
            try {
                turn.run(cancel, out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (!cancel.isCancelled()) {
                    session.failed("session", e.toString(), "this message got no answer; the session goes on");
                    out.note("(something went wrong in the tutor: " + e.getMessage() + "; the session goes on)");
                }
            } finally {
                done.countDown();
            }
            return null;
        });
        current = new Job(cancel, done, out);
        Object previousHandler = processSignals ? Signals.register("INT", this::stopCurrent) : null;
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Reported by the job itself.
        } finally {
            awaitQuietly(done);
            current = null;
            if (previousHandler != null) {
                Signals.unregister("INT", previousHandler);
            }
        }
        if (cancel.isCancelled()) {
            out.silenced = false;
            out.note("(stopped)");
            session.interrupted(what);
        }
    }

    private static void awaitQuietly(CountDownLatch done) {
        try {
            // A stopped turn winds down quickly; a check closes its grading JVM first.
            done.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ctrl-C while a turn runs: stop its stream or its check. Outside a turn, JLine handles it. */
    private void stopCurrent() {
        Job job = current;
        if (job == null) {
            return;
        }
        job.out().silenced = true;
        // No thread interrupt here: the work in progress decides what may be interrupted (see Cancellation).
        job.cancellation().cancel();
    }

    /** The terminal as the session's output: the tutor's answer streamed after its prefix, notes on their own lines. */
    private final class TerminalOutput implements TutorOutput {
        private boolean inAnswer;
        private volatile boolean silenced;

        @Override
        public synchronized void tutorText(String chunk) {
            if (silenced || chunk.isEmpty()) {
                return;
            }
            if (!inAnswer) {
                writer.print(styled ? new AttributedString(TUTOR_PREFIX, AttributedStyle.BOLD.foreground(AttributedStyle.CYAN))
                        .toAnsi(terminal) : TUTOR_PREFIX);
                inAnswer = true;
            }
            writer.print(chunk);
            writer.flush();
        }

        @Override
        public synchronized void tutorEnd() {
            if (inAnswer) {
                writer.println();
                writer.flush();
                inAnswer = false;
            }
        }

        @Override
        public synchronized void note(String text) {
            if (inAnswer) {
                writer.println();
                inAnswer = false;
            }
            writer.println(styled ? new AttributedString(text, AttributedStyle.DEFAULT.faint()).toAnsi(terminal) : text);
            writer.flush();
        }
    }
}
