package dev.tinyvllm.cli;

import static dev.tinyvllm.testing.InProcessTutor.tutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.testing.InProcessTutor.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user types them, run in-process (the launcher itself is tested in LauncherIT). */
class CliTest {

    @TempDir
    Path dir;

    @Test
    void versionAndHelpDescribeTheTool() {
        Run version = tutor("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("tutor 0.1.0"), version.out());
        assertTrue(version.out().contains("libtorch 2.7.1 through DJL 0.35.1"), version.out());
        Run help = tutor("--help");
        assertEquals(0, help.code());
        for (String command : new String[] {"steps", "init", "check"}) {
            assertTrue(help.out().contains(command), help.out());
        }
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        for (String command : new String[] {"shell", "steps", "init", "check", "review", "run", "engine"}) {
            Run help = tutor(command, "--help");
            assertEquals(0, help.code(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: tutor " + command), command + ": " + help.out());
        }
    }

    @Test
    void stepsListsTheCourseAndTheStudentsStatus() {
        Run outside = tutor("steps", "--workspace", dir.toString());
        assertEquals(0, outside.code());
        assertTrue(outside.out().matches("(?s).*week1/attention\\s+Attention: eager, SDPA and flash \\(varlen\\)\\s+available.*"),
                outside.out());
        assertTrue(outside.out().contains("week3/speculative-decoding"));
        assertTrue(outside.out().contains("planned"));
        assertEquals(0, tutor("init", dir.toString()).code());
        assertTrue(tutor("steps", "--workspace", dir.toString()).out()
                .matches("(?s).*week1/attention\\s+Attention.*not checked yet.*"));
    }

    @Test
    void initThenCheckGradesTheFreshWorkspaceAsNotImplemented() throws Exception {
        Run init = tutor("init", dir.toString());
        assertEquals(0, init.code(), init.err());
        assertTrue(init.out().contains("wrote      src/main/java/week1/attention/Attention.java"), init.out());
        Run again = tutor("init", dir.toString());
        assertTrue(again.out().contains("files already up to date"), again.out());

        Run check = tutor("check", "week1/attention", "--workspace", dir.toString(), "--format", "json");
        assertEquals(ExitCodes.NOT_PASSED, check.code(), check.err());
        JsonNode report = new ObjectMapper().readTree(check.out());
        assertEquals("NOT_IMPLEMENTED", report.get("status").asText());
        assertTrue(tutor("steps", "--workspace", dir.toString()).out().contains("NOT_IMPLEMENTED (0/24, 1 check)"));
    }

    @Test
    void checkWritesAReportFileInTheAskedFormat() throws Exception {
        tutor("init", dir.toString());
        Path xml = dir.resolve("report.xml");
        Run check = tutor("check", "week1/attention", "-w", dir.toString(), "--format", "junit", "--output", xml.toString());
        assertEquals(ExitCodes.NOT_PASSED, check.code());
        assertEquals("", check.out());
        assertTrue(Files.readString(xml).contains("<testsuite name=\"week1.attention\""));
    }

    @Test
    void badInputGetsAClearMessageAndAUsageExitCode() {
        Run unknown = tutor("check", "week9/teleport", "--reference");
        assertEquals(ExitCodes.USAGE, unknown.code());
        assertTrue(unknown.err().contains("no step week9/teleport"), unknown.err());
        Run planned = tutor("check", "week2/kv-cache", "--reference");
        assertEquals(ExitCodes.USAGE, planned.code());
        assertTrue(planned.err().contains("planned but not available yet"), planned.err());
        Run noWorkspace = tutor("check", "week1/attention", "--workspace", dir.toString());
        assertEquals(ExitCodes.USAGE, noWorkspace.code());
        assertTrue(noWorkspace.err().contains("no tutor workspace"), noWorkspace.err());
        Run format = tutor("check", "week1/attention", "--reference", "--format", "yaml");
        assertEquals(ExitCodes.USAGE, format.code());
        assertTrue(format.err().contains("Invalid value for option '--format'") && format.err().contains("yaml"),
                format.err());
        Run sandbox = tutor("check", "week1/attention", "--reference", "--sandbox", "chroot");
        assertEquals(ExitCodes.USAGE, sandbox.code());
        assertTrue(sandbox.err().contains("--sandbox") && sandbox.err().contains("BWRAP"), sandbox.err());
        assertEquals(ExitCodes.USAGE, tutor("frobnicate").code());
    }
}
