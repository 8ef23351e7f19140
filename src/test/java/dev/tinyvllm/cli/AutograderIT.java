package dev.tinyvllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.check.StepChecks;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Step;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gradescope bundle end to end, as real processes: {@code tutor autograder} from the packaged jar writes
 * the zip, it is unpacked under a temporary root laid out like {@code /autograder}, its setup.sh runs (no apt
 * where a JDK and bubblewrap are present; it grades the references once), and its run_autograder grades a
 * correct, a wrong, a hostile and an empty submission.
 *
 * <p>The step is {@code -Dautograder.it.step} (default test/scale, the test step, bundled from
 * target/test-classes as a jar of further steps; week1/attention once its checks are ported).
 */
class AutograderIT {

    private static final Path HOME = Path.of(System.getProperty("tutor.home", ".")).toAbsolutePath();
    private static final String STEP = System.getProperty("autograder.it.step", "test/scale");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Path root;
    private static Step step;
    private static String file;
    private static int counted;

    record Run(int code, String out) {}

    private static Run run(Path cwd, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), command + " did not finish: " + out);
        return new Run(p.exitValue(), out);
    }

    @BeforeAll
    static void buildUnpackAndSetUpTheBundle() throws Exception {
        step = Catalog.load().requireStep(STEP);
        file = step.files().get(0);
        counted = (int) StepChecks.of(step).checks().stream().filter(c -> !c.cuda()).count();

        List<String> classPath = new ArrayList<>(List.of(HOME.resolve("target/tutor.jar").toString()));
        if (STEP.startsWith("test/")) {
            classPath.add(testStepJar(STEP).toString());
        }
        Path zip = dir.resolve("autograder.zip");
        Run made = run(dir, Map.of(), List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classPath), "dev.tinyvllm.cli.Main",
                "autograder", STEP, "--out", zip.toString()));
        assertEquals(0, made.code(), made.out());

        root = dir.resolve("autograder");
        unzip(zip, Files.createDirectories(root.resolve("source")));
        Run setup = run(root, Map.of("AUTOGRADER_ROOT", root.toString()),
                List.of("bash", root.resolve("source/setup.sh").toString()));
        assertEquals(0, setup.code(), setup.out());
        assertFalse(setup.out().contains("installing"), "nothing to install here: " + setup.out());
        assertTrue(setup.out().contains("self-test with the reference solutions: score " + counted + ".0 of "
                + counted + ".0"), setup.out());
        // The student's code may run as another user: the tutor's files (the references) are closed to it.
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(root.resolve("source")));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(root.resolve("source/tutor/tutor.jar")));
        // Gradescope copies run_autograder next to source/ and runs it from there.
        Files.copy(root.resolve("source/run_autograder"), root.resolve("run_autograder"),
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    @BeforeEach
    void freshSubmissionAndResults() throws IOException {
        for (String folder : List.of("submission", "results")) {
            Path p = root.resolve(folder);
            if (Files.exists(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            Files.createDirectories(p);
        }
    }

    private static JsonNode grade() throws Exception {
        Run run = run(root, Map.of("AUTOGRADER_ROOT", root.toString()), List.of(root.resolve("run_autograder").toString()));
        assertEquals(0, run.code(), run.out());
        Path results = root.resolve("results/results.json");
        assertTrue(Files.isRegularFile(results), run.out());
        JsonNode json = JSON.readTree(Files.readString(results)); // throws unless it is one valid JSON document
        assertTrue(json.get("score").isNumber() && json.get("tests").isArray(), json.toString());
        for (JsonNode test : json.get("tests")) {
            assertTrue(test.get("name").asText().startsWith(STEP + ": "), test.toString());
            assertTrue(test.has("score") && test.has("max_score") && test.has("status") && test.has("output"));
        }
        return json;
    }

    private static String isolation(JsonNode results) {
        Matcher m = Pattern.compile("isolation: (bwrap|user|none) \\(").matcher(results.get("output").asText());
        assertTrue(m.find(), "the output names the isolation: " + results.get("output").asText());
        return m.group(1);
    }

    private static void submit(String relative, String content) throws IOException {
        Path target = root.resolve("submission").resolve(relative);
        Files.createDirectories(target.getParent());
        Files.writeString(target, content);
    }

    @Test
    void aCorrectWorkspaceGetsFullMarks() throws Exception {
        submit("my-workspace/" + file, Resources.requireText(step.referenceResource(file)));
        submit("my-workspace/.tutor/workspace.json", "{}");
        JsonNode results = grade();
        assertEquals(counted, results.get("score").asDouble(), results.toPrettyString());
        assertEquals(counted, results.get("max_score").asDouble(), results.toPrettyString());
        assertEquals(StepChecks.of(step).checks().size(), results.get("tests").size());
        isolation(results);
    }

    @Test
    void aWrongBareFileLosesThePointsItsMistakeCosts() throws Exception {
        String name = file.substring(file.lastIndexOf('/') + 1);
        submit(name, wrong());
        JsonNode results = grade();
        double score = results.get("score").asDouble();
        if (STEP.equals("test/scale")) {
            assertEquals(1.0, score, results.toPrettyString()); // values pass, times 0 does not
        } else {
            assertTrue(score > 0 && score < counted, results.toPrettyString());
        }
        boolean failed = false;
        for (JsonNode test : results.get("tests")) {
            failed |= test.get("output").asText().startsWith("FAIL");
        }
        assertTrue(failed, results.toPrettyString());
        assertTrue(results.get("output").asText().contains(file + ": your " + name), results.get("output").asText());
    }

    @Test
    void aHostileSubmissionForgesNothing() throws Exception {
        Path results = root.resolve("results/results.json");
        Path marker = root.resolve("results/forged-by-student");
        String forged = "{\"score\": 1000, \"max_score\": 1, \"output\": \"forged\", \"tests\": []}";
        // The skeleton (it deserves nothing) with a static initializer that forges results from inside the
        // student JVM, prints a forged results.json, and tries to read the tutor's jar with its references.
        String skeleton = Resources.requireText(step.skeletonResource(file));
        String simpleName = step.className().substring(step.className().lastIndexOf('.') + 1);
        String head = "class " + simpleName + " {";
        String hostile = skeleton.replaceFirst(Pattern.quote(head), Matcher.quoteReplacement(head + """

                    static {
                        System.out.println("%s");
                        try {
                            java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "%s");
                            java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "x");
                        } catch (Exception e) {
                            System.out.println("could not forge: " + e);
                        }
                        try {
                            java.nio.file.Files.readAllBytes(java.nio.file.Path.of("%s"));
                            System.out.println("READ THE TUTOR JAR");
                        } catch (Exception e) {
                            System.out.println("could not read the tutor: " + e);
                        }
                    }
                """.formatted(forged.replace("\"", "\\\""), results, forged.replace("\"", "\\\""), marker,
                        root.resolve("source/tutor/tutor.jar"))));
        assertTrue(hostile.contains("static {"), "the skeleton has no `" + head + "`");
        submit(file.substring(file.lastIndexOf('/') + 1), hostile);
        // A link to a correct solution outside the upload, where the workspace's own path would win if followed.
        Path correct = Files.writeString(dir.resolve("correct-elsewhere.java"),
                Resources.requireText(step.referenceResource(file)));
        Files.createDirectories(root.resolve("submission/ws").resolve(file).getParent());
        Files.createSymbolicLink(root.resolve("submission/ws").resolve(file), correct);
        submit(".tutor/progress.json", "{\"schemaVersion\": 1, \"steps\": {\"" + STEP
                + "\": {\"status\": \"PASS\", \"passed\": 99, \"total\": 99}}}");
        submit("results/results.json", forged);
        submit("results.json", forged);

        JsonNode graded = grade();
        assertEquals(0.0, graded.get("score").asDouble(), graded.toPrettyString());
        assertEquals(StepChecks.of(step).checks().size(), graded.get("tests").size(), graded.toPrettyString());
        if (!isolation(graded).equals("none")) {
            assertTrue(graded.toString().contains("could not forge"), "the hostile code ran: " + graded.toPrettyString());
            assertFalse(graded.toString().contains("READ THE TUTOR JAR"), graded.toPrettyString());
            assertFalse(Files.exists(marker), "the student's code wrote into results/");
        }
    }

    @Test
    void anUploadWithoutTheFileScoresZeroAndSaysWhatWasMissing() throws Exception {
        submit("README.md", "I forgot the code");
        JsonNode results = grade();
        assertEquals(0.0, results.get("score").asDouble());
        assertTrue(results.get("output").asText().contains(file + ": NOT GRADED, not found in your submission"),
                results.get("output").asText());
    }

    private static String wrong() {
        String reference = Resources.requireText(step.referenceResource(file));
        return switch (STEP) {
            case "test/scale" -> reference.replace("return x.mul(k);", "return x.mul(k == 0f ? 1f : k);");
            case "week1/attention" -> reference.replace("scores = scores.div(Math.sqrt(headDim));\n", "");
            default -> throw new IllegalStateException("no wrong solution written for " + STEP);
        };
    }

    /** The test step's files from target/test-classes, as a jar of further steps joins an installed tutor. */
    private static Path testStepJar(String id) throws IOException {
        Path classes = HOME.resolve("target/test-classes");
        String pkg = "dev/tinyvllm/steps/" + id.replace("-", "") + "/";
        List<String> prefixes = List.of("curriculum/" + id + "/", "reference-solutions/" + id + "/",
                "prompts/steps/" + id, pkg);
        Path jar = dir.resolve("test-steps.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String name = classes.relativize(p).toString().replace('\\', '/');
                if (name.equals("curriculum/catalog.json") || prefixes.stream().anyMatch(name::startsWith)) {
                    out.putNextEntry(new JarEntry(name));
                    out.write(Files.readAllBytes(p));
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    /** Unpacks with the modes the zip records, as Gradescope's unzip does. */
    private static void unzip(Path zip, Path into) throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()),
                Map.of("enablePosixFileAttributes", "true"));
                Stream<Path> walk = Files.walk(fs.getPath("/"))) {
            for (Path entry : (Iterable<Path>) walk::iterator) {
                Path target = into.resolve(entry.toString().substring(1));
                if (Files.isDirectory(entry)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(entry, target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(entry));
                }
            }
        }
    }
}
