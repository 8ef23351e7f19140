package dev.tinyvllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.testing.AttentionSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher a student types, as a real process: init, then check, exit codes included. */
class LauncherIT {

    private static final Path HOME = Path.of(System.getProperty("tutor.home", ".")).toAbsolutePath();

    /** The tests' own cache, so that the check daemon they start is theirs, and ends with them. */
    private static Path cache;

    @org.junit.jupiter.api.BeforeAll
    static void ownCache() throws IOException {
        cache = Files.createTempDirectory("launcher-it-cache-");
    }

    @org.junit.jupiter.api.AfterAll
    static void stopDaemon() throws Exception {
        tutor(cache, "daemon", "stop");
    }

    @TempDir
    Path dir;

    record Run(int code, String out) {}

    private static Run tutor(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("scripts/tutor").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().put("NO_COLOR", "1");
        builder.environment().put("TUTOR_CACHE_DIR", cache.toString());
        builder.environment().remove("TUTOR_DAEMON");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the launcher did not finish: " + out);
        return new Run(p.exitValue(), out);
    }

    /**
     * `tutor check` goes through the check daemon it starts on first use; the daemon answers exactly as a
     * check in the client's own JVM would (the same report and exit code), keeps a student JVM ready for the
     * next check, and says what it is and what it used.
     */
    @Test
    void checksGoThroughTheDaemonAndAnswerAsWithoutIt() throws Exception {
        Path ws = dir.resolve("ws");
        assertEquals(0, tutor(dir, "init", ws.toString()).code());
        Files.writeString(ws.resolve(AttentionSources.FILE), AttentionSources.referenceWith(
                "return eager(q, k, v, numHeads, headDim, mask, false);", "return q;"));
        Run direct = tutor(ws, "check", "week1/attention", "--no-daemon", "--format", "json");
        Run daemon = tutor(ws, "check", "week1/attention", "--format", "json");
        Run again = tutor(ws, "check", "week1/attention", "--format", "json");
        assertEquals(ExitCodes.NOT_PASSED, direct.code(), direct.out());
        assertEquals(direct.code(), daemon.code());
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(direct.out().substring(direct.out().indexOf('{')));
        JsonNode b = json.readTree(daemon.out().substring(daemon.out().indexOf('{')));
        JsonNode c = json.readTree(again.out().substring(again.out().indexOf('{')));
        for (JsonNode report : List.of(b, c)) {
            assertEquals(a.get("status"), report.get("status"));
            for (int i = 0; i < a.get("checks").size(); i++) {
                assertEquals(a.get("checks").get(i).get("status"), report.get("checks").get(i).get("status"));
                assertEquals(a.get("checks").get(i).get("tags"), report.get("checks").get(i).get("tags"));
                assertEquals(a.get("checks").get(i).get("message"), report.get("checks").get(i).get("message"));
            }
        }
        Run status = tutor(dir, "daemon", "status");
        assertTrue(status.out().contains("the check daemon runs: pid"), status.out());
        assertTrue(status.out().matches("(?s).*cpu: daemon [0-9.]+ s, ended student JVMs [0-9.]+ s.*"), status.out());
        // The third check found the JVM the second one left ready: nothing was started during it.
        assertEquals(-1, c.get("timing").get("jvmStartMs").asInt(), c.get("timing").toString());
        assertTrue(tutor(dir, "daemon", "stop").out().contains("stops"));
        assertTrue(tutor(dir, "daemon", "status").out().contains("no check daemon runs"));
    }

    /**
     * Student code that kills the process which started its JVM: in the sandbox it reaches only the
     * sandbox's own first process, the check ends with an error and the report is written; without a
     * sandbox (none) it kills `tutor check` itself, which is why `none` is for trusted code only.
     */
    @Test
    void killingTheParentIsStoppedBySandboxesAndNotWithoutOne() throws Exception {
        Path ws = dir.resolve("ws");
        assertEquals(0, tutor(dir, "init", ws.toString()).code());
        Files.writeString(ws.resolve(AttentionSources.FILE), AttentionSources.referenceWith(
                "return eager(q, k, v, numHeads, headDim, mask, false);",
                "ProcessHandle.current().parent().ifPresent(ProcessHandle::destroyForcibly);"
                        + " try { Thread.sleep(2000); } catch (InterruptedException e) { } return q;"));
        Run sandboxed = tutor(ws, "check", "week1/attention", "--no-daemon", "--sandbox", "bwrap");
        assertEquals(ExitCodes.NOT_PASSED, sandboxed.code(), sandboxed.out());
        assertTrue(sandboxed.out().contains("eagerBidirectional"), sandboxed.out());
        assertTrue(sandboxed.out().contains("your code ran isolated by bwrap"), sandboxed.out());
        Run bare = tutor(ws, "check", "week1/attention", "--no-daemon", "--sandbox", "none");
        assertEquals(137, bare.code(), "without a sandbox the student's code can kill the checker:\n" + bare.out());
    }

    @Test
    void versionComesFromTheBuiltJar() throws Exception {
        Run version = tutor(dir, "--version");
        assertEquals(0, version.code(), version.out());
        assertTrue(version.out().contains("tutor 0.1.0"), version.out());
    }

    @Test
    void initThenCheckThroughTheLauncher() throws Exception {
        Path ws = dir.resolve("my workspace");
        Run init = tutor(dir, "init", ws.toString());
        assertEquals(0, init.code(), init.out());

        Run skeleton = tutor(dir, "check", "week1/attention", "--workspace", ws.toString());
        assertEquals(ExitCodes.NOT_PASSED, skeleton.code(), skeleton.out());
        assertTrue(skeleton.out().contains("NOT_IMPLEMENTED: 0 of 24 checks passed, 24 not implemented; 2 skipped"),
                skeleton.out());

        Files.writeString(ws.resolve(AttentionSources.FILE), AttentionSources.reference());
        Run solved = tutor(ws.resolve("src"), "check", "week1/attention");
        assertEquals(ExitCodes.OK, solved.code(), solved.out());
        assertTrue(solved.out().contains("PASS: 24 of 24 checks passed; 2 skipped (not counted as passed)"), solved.out());
        assertTrue(solved.out().contains("SKIP  cuda"), solved.out());

        Run steps = tutor(ws, "steps");
        assertTrue(steps.out().contains("PASS (24/24, 2 checks)"), steps.out());
    }

    @Test
    void runStreamsAWeekOneAnswerFromTheBuiltJar() throws Exception {
        Path model = dir.resolve("tiny-qwen2");
        dev.tinyvllm.model.RandomQwen2Model.write(model, dev.tinyvllm.model.RandomQwen2Model.tiny(32, 4, 2, 2, true),
                dev.tinyvllm.model.DType.BF16, 1, 1);
        Run run = tutor(dir, "run", "week1", "--reference", "--model", model.toString(), "--prompt", "Hello!",
                "--max-tokens", "8", "--threads", "1");
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("tutor: answering with your Generator.chat"), run.out());
        assertTrue(run.out().matches("(?s).*tutor: [1-8] calls to your model in .*"), run.out());

        Files.delete(model.resolve("config.json"));
        Run broken = tutor(dir, "run", "week1", "--reference", "--model", model.toString(), "--prompt", "Hello!");
        assertEquals(ExitCodes.USAGE, broken.code(), broken.out());
        assertTrue(broken.out().contains("no config.json"), broken.out());
    }

    @Test
    void referenceGradesForGradescope() throws Exception {
        Run run = tutor(dir, "check", "week1/attention", "--reference", "--format", "gradescope");
        assertEquals(0, run.code(), run.out());
        JsonNode results = new ObjectMapper().readTree(run.out().substring(run.out().indexOf('{')));
        assertEquals(24.0, results.get("score").asDouble());
        assertEquals(24.0, results.get("max_score").asDouble());
        assertEquals(26, results.get("tests").size());
    }

    /** README's first command: `scripts/tutor` alone opens the offline tutor, and piped input drives it. */
    @Test
    void theLauncherAloneOpensTheOfflineTutor() throws Exception {
        Path ws = dir.resolve("ws");
        assertEquals(0, tutor(dir, "init", ws.toString()).code());
        ProcessBuilder builder = new ProcessBuilder(HOME.resolve("scripts/tutor").toString()).directory(ws.toFile())
                .redirectErrorStream(true);
        builder.environment().put("NO_COLOR", "1");
        builder.environment().keySet().removeIf(k -> k.startsWith("TUTOR_"));
        Process p = builder.start();
        try (var in = p.getOutputStream()) {
            in.write("give me the code\n/quit\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("mode: offline tutor"), out);
        assertTrue(out.contains("won't write the code"), out);
        try (var files = Files.list(ws.resolve(".tutor/sessions"))) {
            assertEquals(1, files.count());
        }
    }
}
