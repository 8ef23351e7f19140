package dev.tinyvllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code tutor engine} through the real launcher: it adds the Vector API module, on JDK 17 and on JDK 25
 * (the same kernel code must run on both); and the packaged jar started without the module falls back to
 * scalar kernels that give the same greedy answer.
 */
class EngineLauncherIT {

    private static final Path HOME = Path.of(System.getProperty("tutor.home", ".")).toAbsolutePath();
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    record Run(int code, String out) {}

    private static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "did not finish: " + out);
        return new Run(p.exitValue(), out);
    }

    private static List<String> generate(String... launcher) {
        List<String> c = new ArrayList<>(List.of(launcher));
        c.addAll(List.of("engine", "generate", "--random", "tiny", "--prompt", "Why is the sky blue?", "-n", "8", "--raw"));
        return c;
    }

    /** The generated text: everything before the statistics line, without JVM warnings. */
    private static String answer(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.startsWith("[random tiny")) {
                break;
            }
            if (!line.startsWith("WARNING") && !line.startsWith("SLF4J")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void serveAnswersOverHttpUntilStopped() throws Exception {
        Process p = new ProcessBuilder(HOME.resolve("scripts/tutor").toString(), "engine", "serve", "--random", "tiny",
                "--port", "0", "--served-model-name", "tiny").directory(HOME.toFile()).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String url = null;
            StringBuilder seen = new StringBuilder();
            while (url == null && (line = lines.readLine()) != null) {
                seen.append(line).append('\n');
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/v1)").matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertTrue(url != null, "no 'serving ... at URL' line: " + seen);
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/chat/completions"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 5}"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"completion_tokens\":5"), r.body());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
        }
    }

    @Test
    void theLauncherRunsTheVectorKernelsOnJdk17And25AndTheScalarOnesWithoutTheModule() throws Exception {
        Run jdk17 = run(generate(HOME.resolve("scripts/tutor").toString()), Map.of());
        assertEquals(0, jdk17.code(), jdk17.out());
        assertTrue(jdk17.out().contains("vector (") && jdk17.out().contains("8 generated"), jdk17.out());

        Run scalar = run(generate("java", "-Dai.djl.offline=true", "-jar", HOME.resolve("target/tutor.jar").toString()), Map.of());
        assertEquals(0, scalar.code(), scalar.out());
        assertTrue(scalar.out().contains("scalar: "), scalar.out());
        assertEquals(answer(jdk17.out()), answer(scalar.out()), "greedy text is the same with either kernels");

        Assumptions.assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "JDK 25 is not installed at " + JDK25);
        Run jdk25 = run(generate(HOME.resolve("scripts/tutor").toString()), Map.of("JAVA_HOME", JDK25.toString()));
        assertEquals(0, jdk25.code(), jdk25.out());
        assertTrue(jdk25.out().contains("vector (") && jdk25.out().contains("8 generated"), jdk25.out());
        assertEquals(answer(jdk17.out()), answer(jdk25.out()), "greedy text is the same on JDK 17 and 25");
    }
}
