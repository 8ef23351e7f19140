package dev.tinyvllm.tutor.shell;

import dev.tinyvllm.check.CheckOptions;
import dev.tinyvllm.check.CheckRuns;
import dev.tinyvllm.check.judge.StudentJvms;
import dev.tinyvllm.curriculum.Workspace;
import dev.tinyvllm.tutor.Session;
import dev.tinyvllm.tutor.TutorConfig;
import dev.tinyvllm.tutor.TutorModel;
import dev.tinyvllm.tutor.llm.LlmTutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Puts a session together the way {@code tutor} starts it: finds the workspace (or works without
 * one), reads the configuration, picks where the transcript and the history go, builds the LLM
 * tutor when one is configured, and runs the shell on a terminal.
 *
 * <p>Outside a workspace the transcript goes to {@code $XDG_STATE_HOME/tiny-vllm-tutor/sessions/}
 * (default {@code ~/.local/state/tiny-vllm-tutor/sessions/}), so nothing is lost and nothing is
 * written into whatever folder the student happened to be in.
 */
public final class ShellLauncher {

    /**
     * What a start depends on besides the flags, passed in so tests control all of it.
     *
     * @param env the environment variables
     * @param home the user's home folder
     */
    public record Environment(Map<String, String> env, Path home, Clock clock) {

        public static Environment system() {
            return new Environment(System.getenv(), Path.of(System.getProperty("user.home")), Clock.systemUTC());
        }
    }

    /**
     * @param start where to look for a workspace (it and its parents)
     * @param stepId the step to start on, null for the first not yet passed
     * @param checkOptions how /check grades
     */
    public record Request(Path start, String stepId, TutorConfig.Flags flags, CheckOptions checkOptions,
            Duration llmRetryAfter) {

        public Request(Path start, String stepId, TutorConfig.Flags flags) {
            this(start, stepId, flags, CheckOptions.defaults(), Duration.ofSeconds(30));
        }
    }

    private ShellLauncher() {}

    /** Resolves the configuration; throws IllegalArgumentException with a clear message when it is malformed. */
    public static TutorConfig config(Request request, Environment environment, Optional<Workspace> workspace) {
        List<Path> files = new ArrayList<>();
        workspace.ifPresent(w -> files.add(w.stateDir().resolve("config.properties")));
        files.add(TutorConfig.userConfigFile(environment.env(), environment.home()));
        return TutorConfig.resolve(request.flags(), environment.env(), files);
    }

    /** The folder for state kept outside a workspace. */
    public static Path stateDir(Environment environment) {
        String xdg = environment.env().get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : environment.home().resolve(".local").resolve("state");
        return base.resolve("tiny-vllm-tutor");
    }

    /**
     * Runs a whole session on {@code terminal}.
     *
     * @param processTerminal whether {@code terminal} is this process's own (Ctrl-C arrives as SIGINT)
     */
    public static void run(Request request, Environment environment, Terminal terminal, boolean processTerminal) {
        Optional<Workspace> workspace = Workspace.locate(request.start());
        TutorConfig config = config(request, environment, workspace);
        Path state = workspace.map(Workspace::stateDir).orElse(stateDir(environment));
        TutorModel model = config.llm() ? LlmTutor.create(config) : null;
        Session session = new Session(new Session.Options(workspace, state.resolve("sessions"), request.stepId(), config,
                model, request.checkOptions(), request.llmRetryAfter(), environment.clock()));
        banner(terminal, session, config);
        // A /check should not wait for libtorch or a student JVM to start: both are made ready meanwhile.
        workspace.ifPresent(ws -> CheckRuns.prepare(ws, session.step(), request.checkOptions()));
        try {
            new Shell(session, terminal, state.resolve("history"), processTerminal).run();
        } finally {
            StudentJvms.shared().keepSpares(false);
        }
    }

    private static void banner(Terminal terminal, Session session, TutorConfig config) {
        var w = terminal.writer();
        w.println("tiny-vllm-tutor on " + session.step().id() + " - " + session.step().title());
        w.println(config.llm() ? "mode: LLM " + config.model() + " at " + config.endpointForDisplay()
                + " (the offline tutor answers when it fails)" : "mode: offline tutor (" + config.offlineReason() + ")");
        w.println(session.workspace().map(ws -> "workspace: " + ws.root())
                .orElse("no workspace here: `tutor init DIR` creates one (I cannot see code or run checks without it)"));
        w.println("transcript: " + session.transcriptFile());
        w.println("/help lists the commands; Ctrl-C stops an answer, Ctrl-D or /quit leaves.");
        w.flush();
    }

    /** The terminal of this process: the real one when there is one, a dumb one for pipes. */
    public static Terminal systemTerminal() {
        try {
            return TerminalBuilder.builder().name("tutor").system(true).dumb(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }
}
