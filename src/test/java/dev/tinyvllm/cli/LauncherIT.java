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

    @TempDir
    Path dir;

    record Run(int code, String out) {}

    private static Run tutor(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("scripts/tutor").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().put("NO_COLOR", "1");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the launcher did not finish: " + out);
        return new Run(p.exitValue(), out);
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
