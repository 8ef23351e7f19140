package dev.tinyvllm.cli;

import static dev.tinyvllm.testing.InProcessTutor.tutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.autograder.TutorFiles;
import dev.tinyvllm.testing.InProcessTutor.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tutor autograder}: what goes into the zip, with which modes, and what it refuses. */
class AutograderCommandTest {

    @TempDir
    Path dir;

    /** Runs the command in-process with small stand-ins for the tutor's jars (the tests run from classes folders). */
    private Run bundle(TutorFiles files, String... args) {
        AutograderCommand command = new AutograderCommand();
        command.tutorFiles = () -> files;
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true); // as Main sets it
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private TutorFiles fakeTutor() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("install/lib"));
        Path jar = Files.writeString(dir.resolve("install/tutor.jar"), "the tutor");
        Path library = Files.writeString(lib.resolve("djl.jar"), "a library");
        Path extra = Files.writeString(Files.createDirectories(dir.resolve("more")).resolve("steps.jar"), "more steps");
        return new TutorFiles(jar, Map.of("lib/djl.jar", library), List.of(extra));
    }

    @Test
    void theZipHoldsExecutableScriptsTheConfigAndTheTutorClosedToOtherUsers() throws Exception {
        Path zip = dir.resolve("out/autograder.zip");
        Run run = bundle(fakeTutor(), "test/scale", "test/scale", "--timeout", "30", "--out", zip.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("a Gradescope autograder for test/scale"), run.out());

        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()),
                Map.of("enablePosixFileAttributes", "true"))) {
            Set<String> entries = new TreeSet<>();
            try (Stream<Path> walk = Files.walk(fs.getPath("/"))) {
                walk.filter(Files::isRegularFile).forEach(p -> entries.add(p.toString()));
            }
            assertEquals(Set.of("/setup.sh", "/run_autograder", "/autograder.json", "/tutor/tutor.jar",
                    "/tutor/lib/djl.jar", "/tutor/extra/steps.jar"), entries);
            for (String script : List.of("/setup.sh", "/run_autograder")) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(fs.getPath(script));
                assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), mode, script);
                assertTrue(Files.readString(fs.getPath(script)).startsWith("#!/usr/bin/env bash\n"), script);
            }
            for (String secret : List.of("/tutor/tutor.jar", "/tutor/lib/djl.jar", "/tutor/extra/steps.jar", "/tutor")) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(fs.getPath(secret));
                assertTrue(mode.stream().allMatch(p -> p.name().startsWith("OWNER")), secret + " is " + mode);
            }
            assertEquals("a library", Files.readString(fs.getPath("/tutor/lib/djl.jar")));
            JsonNode config = new ObjectMapper().readTree(Files.readString(fs.getPath("/autograder.json")));
            assertEquals("tiny-vllm-tutor/autograder", config.get("schema").asText());
            assertEquals(List.of("test/scale"), List.of(config.get("steps").get(0).asText()));
            assertEquals(1, config.get("steps").size(), "a step named twice is graded once");
            assertEquals(30, config.get("timeoutSeconds").asInt());
            assertEquals("AUTO", config.get("sandbox").asText());
            String runScript = Files.readString(fs.getPath("/run_autograder"));
            assertTrue(runScript.contains("${AUTOGRADER_ROOT:-/autograder}"), runScript);
            assertTrue(runScript.contains("autograder run --root \"$root\""), runScript);

            // Both scripts are valid bash.
            for (String script : List.of("/setup.sh", "/run_autograder")) {
                Path copy = dir.resolve(script.substring(1));
                Files.copy(fs.getPath(script), copy);
                Process bash = new ProcessBuilder("bash", "-n", copy.toString()).redirectErrorStream(true).start();
                String said = new String(bash.getInputStream().readAllBytes());
                assertEquals(0, bash.waitFor(), script + ": " + said);
            }
        }
    }

    @Test
    void badStepsGetAClearMessageAUsageExitCodeAndNoZip() {
        Path zip = dir.resolve("autograder.zip");
        Run unknown = tutor("autograder", "test/scale", "week9/teleport", "-o", zip.toString());
        assertEquals(ExitCodes.USAGE, unknown.code());
        assertTrue(unknown.err().contains("no step week9/teleport"), unknown.err());
        Run plannedCli = tutor("autograder", "week2/kv-cache", "-o", zip.toString());
        assertEquals(ExitCodes.USAGE, plannedCli.code());
        assertTrue(plannedCli.err().contains("planned but not available yet"), plannedCli.err());
        Run none = tutor("autograder", "-o", zip.toString());
        assertEquals(ExitCodes.USAGE, none.code());
        assertTrue(none.err().contains("name at least one step"), none.err());
        Run timeout = tutor("autograder", "test/scale", "--timeout", "0", "-o", zip.toString());
        assertEquals(ExitCodes.USAGE, timeout.code());
        Run sandbox = tutor("autograder", "test/scale", "--sandbox", "chroot", "-o", zip.toString());
        assertEquals(ExitCodes.USAGE, sandbox.code());
        assertFalse(Files.exists(zip));
    }

    @Test
    void aTutorRunningFromAClassesFolderHasNoJarToBundle() {
        Run run = tutor("autograder", "test/scale", "-o", dir.resolve("a.zip").toString());
        assertEquals(ExitCodes.SOFTWARE, run.code(), run.err());
        assertTrue(run.err().contains("made from the packaged tutor"), run.err());
        assertFalse(Files.exists(dir.resolve("a.zip")));
    }

    @Test
    void helpDescribesTheCommandAndKeepsItsRunModeOutOfSight() {
        Run help = tutor("autograder", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: tutor autograder"), help.out());
        assertTrue(help.out().contains("Gradescope"), help.out());
        assertFalse(help.out().contains("Commands:"), help.out());
        assertTrue(tutor("--help").out().contains("autograder"));
    }
}
