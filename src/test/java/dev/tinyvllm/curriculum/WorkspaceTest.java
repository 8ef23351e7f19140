package dev.tinyvllm.curriculum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.testing.AttentionSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tutor init}: what a new workspace holds, and that it never overwrites the student's work. */
class WorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void initWritesSkeletonReadmesProjectFileAndState() throws Exception {
        Workspace.InitReport report = Workspace.init(dir, Catalog.load(), StudentApiJar.build());
        assertTrue(report.written().containsAll(List.of("README.md", "pom.xml", ".gitignore", "lib/tutor-student-api.jar",
                "steps/week1/attention/README.md", AttentionSources.FILE)), report.written().toString());
        assertEquals(AttentionSources.skeleton(), Files.readString(dir.resolve(AttentionSources.FILE)));
        assertTrue(Files.isRegularFile(dir.resolve(".tutor/workspace.json")));
        assertTrue(Files.isDirectory(dir.resolve(".tutor/sessions")));
        String pom = Files.readString(dir.resolve("pom.xml"));
        assertFalse(pom.contains("@"), "every placeholder is filled: " + pom);
        assertTrue(Workspace.locate(dir.resolve("src/main/java")).isPresent(), "found from a subfolder");
    }

    @Test
    void reInitKeepsAnEditedFileAndRestoresADeletedOne() throws Exception {
        Workspace.init(dir, Catalog.load(), StudentApiJar.build());
        Path source = dir.resolve(AttentionSources.FILE);
        Files.writeString(source, "// my work in progress\n");
        Files.delete(dir.resolve("steps/week1/attention/README.md"));
        Workspace.InitReport again = Workspace.init(dir, Catalog.load(), StudentApiJar.build());
        assertEquals(List.of(AttentionSources.FILE), again.keptEdited());
        assertEquals("// my work in progress\n", Files.readString(source));
        assertEquals(List.of("steps/week1/attention/README.md"), again.written());
    }

    @Test
    void aFileThatExistedBeforeInitIsNeverOverwritten() throws Exception {
        Files.writeString(dir.resolve("README.md"), "my own notes\n");
        Workspace.InitReport report = Workspace.init(dir, Catalog.load(), StudentApiJar.build());
        assertTrue(report.keptEdited().contains("README.md"));
        assertEquals("my own notes\n", Files.readString(dir.resolve("README.md")));
    }

    @Test
    void theStudentApiJarHoldsTheStudentApiAndNoReferenceOrOracle() throws Exception {
        byte[] jar = StudentApiJar.build();
        assertArrayEquals(jar, StudentApiJar.build(), "the same bytes every time, so re-init sees no change");
        List<String> names = new ArrayList<>();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertTrue(names.contains("dev/tinyvllm/student/Kernels.class"), names.toString());
        assertTrue(names.contains("dev/tinyvllm/student/ModelFolder.class"), names.toString());
        assertTrue(names.contains("dev/tinyvllm/model/Checkpoint.class"), "the loader needs its model-folder code");
        assertTrue(names.stream().allMatch(n -> n.startsWith("dev/tinyvllm/student/") || n.startsWith("dev/tinyvllm/torch/")
                || n.startsWith("dev/tinyvllm/model/") || n.startsWith("META-INF/")), names.toString());
        // Only what the student API calls: the layer kernels of the references stay out.
        assertTrue(names.contains("dev/tinyvllm/torch/FusedKernels.class"), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.contains("LayerKernels")), names.toString());
    }

    /**
     * The student JVM's class path is this jar and DJL's: the host, the student API and the public fixtures,
     * and nothing a student could use to reach an oracle, a reference, a check or a guide.
     */
    @Test
    void theStudentJvmsJarHoldsNoCheckOracleReferenceOrGuide() throws Exception {
        List<String> names = new ArrayList<>();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(StudentApiJar.buildStudentJvm()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertTrue(names.contains("dev/tinyvllm/host/HostMain.class"), names.toString());
        assertTrue(names.contains("dev/tinyvllm/host/fixtures/Recorder.class"), names.toString());
        assertTrue(names.contains("dev/tinyvllm/steps/week1/generate/driver/ScriptedModel.class"), names.toString());
        for (String name : names) {
            assertTrue(name.endsWith(".class") || name.startsWith("META-INF/"), name);
            boolean allowed = name.startsWith("META-INF/") || name.matches(
                    "dev/tinyvllm/(student|torch|model|host)/.*|dev/tinyvllm/steps/[^/]+/[^/]+/driver/.*");
            assertTrue(allowed, name);
            assertFalse(name.matches(".*(Oracle|Checks|Mutation|Tag|Parts|Grading|Judge|LayerKernels).*\\.class"), name);
        }
    }

    @Test
    void theWorkspaceCompilesAsAMavenProjectAgainstTheStudentApiAndDjlOnly() throws Exception {
        Workspace.init(dir, Catalog.load(), StudentApiJar.build());
        // The reference uses the student API (Kernels), so it proves the jar is on the project's classpath.
        Files.writeString(dir.resolve(AttentionSources.FILE), AttentionSources.reference());
        Process mvn = new ProcessBuilder("mvn", "-B", "-q", "-o", "compile").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(mvn.getInputStream().readAllBytes());
        assertTrue(mvn.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, mvn.exitValue(), output);
        assertTrue(Files.isRegularFile(dir.resolve("target/classes/week1/attention/Attention.class")));
    }
}
