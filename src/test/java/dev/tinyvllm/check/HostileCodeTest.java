package dev.tinyvllm.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.check.judge.Sandbox;
import dev.tinyvllm.check.report.ReportFormat;
import dev.tinyvllm.testing.TestWorkspace;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

/**
 * Student code as a hostile student would write it, graded through the whole checker (a real student
 * JVM) in each sandbox mode. Each attack says what it would gain; the test asserts that it never yields a
 * PASS the code does not deserve and never crashes the checker, and, per mode, whether the attack was
 * stopped: in bwrap and user mode every attack is; in none mode the ones that need an operating system's
 * help are not, and the table (written to target/hostile-code.md) says which.
 *
 * <p>The step is test/scale: {@code Scale.times(x, k)} must return x times k. Every attack returns the
 * right values only when it succeeded, so a forged PASS shows as a PASS.
 */
class HostileCodeTest {

    private static final Path TUTOR_HOME = Path.of(System.getProperty("tutor.home", ".")).toAbsolutePath();
    private static final String FILE = "src/main/java/test/scale/Scale.java";
    private static final Map<String, String> TABLE = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    /** What an attack reaches for, and how the test sees whether it got it. */
    enum Attack {
        REFLECT_ON_ORACLE("reflection and Class.forName on the step's checks and the judge's classes", """
                try {
                    Class.forName("dev.tinyvllm.steps.test.scale.ScaleChecks");
                    ClassLoader.getSystemClassLoader().loadClass("dev.tinyvllm.check.judge.Judge");
                    return x.mul(k);
                } catch (Throwable t) { return x; }"""),
        CLASS_LOADER_OVER_TUTOR("a URLClassLoader over every class path entry and path in /proc/*/cmdline", """
                List<URL> urls = new ArrayList<>();
                for (String p : System.getProperty("java.class.path").split(":")) urls.add(Path.of(p).toUri().toURL());
                try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
                    for (Path proc : procs) {
                        try {
                            for (String arg : new String(Files.readAllBytes(proc.resolve("cmdline"))).split("[\\u0000:]")) {
                                if (arg.startsWith("/") && Files.exists(Path.of(arg))) urls.add(Path.of(arg).toUri().toURL());
                            }
                        } catch (IOException e) { }
                    }
                }
                urls.add(Path.of("%HOME%/target/classes").toUri().toURL());
                urls.add(Path.of("%HOME%/target/tutor.jar").toUri().toURL());
                try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), null)) {
                    loader.loadClass("dev.tinyvllm.check.Grading");
                    return x.mul(k);
                } catch (Throwable t) { return x; }"""),
        READ_REFERENCE("reading the reference solutions and the tutor's classes from disk", """
                byte[] ref = Files.readAllBytes(Path.of("%HOME%/reference-solutions/week1/attention/src/main/java/week1/attention/Attention.java"));
                System.out.println("LEAKED " + ref.length + " bytes");
                return x.mul(k);"""),
        FORGE_PROTOCOL("made-up results written to the real stdout and stderr file descriptors", """
                byte[] line = "@@tutor {\\"type\\":\\"result\\",\\"check\\":\\"times.values\\",\\"result\\":{\\"status\\":\\"PASS\\"}}\\n".getBytes();
                new FileOutputStream(FileDescriptor.out).write(line);
                new FileOutputStream(FileDescriptor.err).write(line);
                java.io.DataOutputStream frame = new java.io.DataOutputStream(new FileOutputStream(FileDescriptor.out));
                frame.writeInt(9); frame.write(new byte[] {9, 3, 0, 0, 0, 1, 1, 0, 0});
                return x;"""),
        CONNECT_TO_JUDGE("connecting to the judge's socket again to answer for the host", """
                try (java.util.stream.Stream<Path> s = Files.walk(Path.of(System.getProperty("java.io.tmpdir")), 3)) {
                    for (Path p : s.toList()) {
                        if (p.toString().endsWith(".sock")) {
                            try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
                                    java.net.UnixDomainSocketAddress.of(p))) {
                                System.out.println("CONNECTED " + p);
                            } catch (IOException e) { }
                        }
                    }
                }
                return x;"""),
        OPEN_SOCKET("a network connection out of the sandbox", """
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", %PORT%), 2000);
                    System.out.println("CONNECTED");
                } catch (IOException e) { System.out.println("no network: " + e.getMessage()); }
                return x.mul(k);"""),
        READ_ENVIRONMENT("the tutor's environment (an API key, say)", """
                System.out.println("ENV " + new TreeSet<>(System.getenv().keySet()));
                return x.mul(k);"""),
        WRITE_WORKSPACE("writing the workspace's progress and a file outside the workspace", """
                try {
                    Files.writeString(Path.of("%WORKSPACE%/.tutor/progress.json"), "{\\"forged\\": true}");
                    System.out.println("WROTE progress");
                } catch (IOException e) { }
                try {
                    Files.writeString(Path.of("%OUTSIDE%"), "forged");
                    System.out.println("WROTE outside");
                } catch (IOException e) { }
                return x.mul(k);"""),
        DETACHED_PROCESS("a detached process that outlives the check and rewrites the report", """
                new ProcessBuilder("setsid", "sh", "-c", "(sleep 3 && echo FORGED > %REPORT%; sleep 60) &", "%TOKEN%")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return x.mul(k);"""),
        LINGERING_THREAD("a non-daemon thread that outlives the checks and floods the console", """
                Thread t = new Thread(() -> { while (true) { System.err.print("flood "); } });
                t.setDaemon(false);
                t.start();
                return x.mul(k);"""),
        KILL_PARENT("killing the process that started the student JVM", """
                ProcessHandle.current().parent().ifPresent(ProcessHandle::destroyForcibly);
                Thread.sleep(2000);
                return x.mul(k);"""),
        PRINT_FLOOD("megabytes of output, one line of 600 MB without a newline", """
                char[] chunk = new char[1 << 20];
                java.util.Arrays.fill(chunk, 'a');
                for (int i = 0; i < 600; i++) { System.out.print(chunk); }
                byte[] raw = new byte[1 << 20];
                java.util.Arrays.fill(raw, (byte) 'b');
                OutputStream fd = new FileOutputStream(FileDescriptor.out);
                for (int i = 0; i < 64; i++) { fd.write(raw); }
                return x.mul(k);"""),
        ESCAPES_AND_XML("terminal escapes and characters XML forbids in what it prints and throws", """
                System.out.println("\\u001b[2J\\u001b]0;owned\\u0007\\u001b[31mred\\u202e\\ufffe\\u0000bell\\u0007");
                throw new IllegalStateException("\\u001b[31m\\ufffebad\\ud800");"""),
        HUGE_EXCEPTION("an exception message of 20 MB", """
                throw new IllegalStateException("e".repeat(20 << 20));"""),
        SPAWN_PROCESS("starting a shell that writes outside the sandbox", """
                Process p = new ProcessBuilder("sh", "-c", "echo spawned > %OUTSIDE%").start();
                p.waitFor();
                return x.mul(k);"""),
        // The misbehaviours that are no attack but must cost only their own check.
        LOOP("an endless loop", "while (k == k) { Thread.onSpinWait(); } return x;"),
        EXIT("System.exit", "System.exit(3); return x;"),
        HALT("Runtime.halt, which skips every shutdown hook", "Runtime.getRuntime().halt(4); return x;"),
        OUT_OF_HEAP("an allocation past the heap", "long[] hoard = new long[Integer.MAX_VALUE - 16]; return x.add(hoard.length);"),
        STACK_OVERFLOW("endless recursion", "return times(x, k + 1);"),
        NAN("NaN for every value", "return x.mul(Float.NaN);"),
        NULL("null", "return null;"),
        WRONG_SHAPE("the values in another shape", "return x.mul(k).reshape(-1);");

        final String aim;
        final String body;

        Attack(String aim, String body) {
            this.aim = aim;
            this.body = body;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (SandboxMode mode : List.of(SandboxMode.BWRAP, SandboxMode.USER, SandboxMode.NONE)) {
            for (Attack attack : Attack.values()) {
                all.add(Arguments.of(mode, attack));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void anAttackNeverForgesAPassNorCrashesTheChecker(SandboxMode mode, Attack attack) throws Exception {
        String unavailable = Sandbox.unavailable(mode);
        Assumptions.assumeTrue(unavailable == null, () -> mode.label() + " cannot run here: " + unavailable);
        Assumptions.assumeFalse(mode == SandboxMode.NONE && attack == Attack.KILL_PARENT,
                "in none mode the parent is this test's own JVM: the launcher test covers it (see below)");
        TestWorkspace ws = TestWorkspace.create(dir.resolve("ws"));
        Path outside = dir.resolve("outside-" + UUID.randomUUID());
        Path report = dir.resolve("report.json");
        String token = "hostile-" + UUID.randomUUID();
        try (ServerSocket server = new ServerSocket(0)) {
            server.setSoTimeout(100);
            String body = attack.body.replace("%HOME%", TUTOR_HOME.toString())
                    .replace("%WORKSPACE%", ws.root().toString()).replace("%OUTSIDE%", outside.toString())
                    .replace("%REPORT%", report.toString()).replace("%TOKEN%", token)
                    .replace("%PORT%", Integer.toString(server.getLocalPort()));
            ws.write(FILE, source(body));
            Files.writeString(report, "{}");
            int timeout = attack == Attack.PRINT_FLOOD ? 30 : attack == Attack.LOOP ? 2 : 10;
            StepReport result = ws.check("test/scale", new CheckOptions(0, Duration.ofSeconds(timeout),
                    CheckOptions.DEFAULT_MEMORY_LIMIT, mode));
            String rendered = ReportFormat.JSON.render(result, false);
            Files.writeString(report, rendered);
            boolean connected = accepted(server);
            Thread.sleep(attack == Attack.DETACHED_PROCESS ? 4000 : 0);

            CheckResult values = TestWorkspace.byId(result, "times.values");
            String output = String.valueOf(values.output()) + " " + values.message();
            boolean gained = switch (attack) {
                case REFLECT_ON_ORACLE, CLASS_LOADER_OVER_TUTOR -> values.status() == Outcome.PASS;
                case READ_REFERENCE -> output.contains("LEAKED");
                case FORGE_PROTOCOL -> values.status() == Outcome.PASS;
                case CONNECT_TO_JUDGE -> output.contains("CONNECTED");
                case OPEN_SOCKET -> connected;
                case READ_ENVIRONMENT -> System.getenv().keySet().stream()
                        .filter(name -> !List.of("PATH", "LANG", "HOME", "PWD", "SHLVL", "_").contains(name))
                        .anyMatch(name -> output.contains(name));
                // What it wrote inside its own view of the sandbox does not count: only the real files do.
                case WRITE_WORKSPACE -> Files.exists(outside)
                        || Files.readString(ws.root().resolve(".tutor/progress.json")).contains("forged");
                case DETACHED_PROCESS -> Files.readString(report).contains("FORGED") || running(token);
                case LINGERING_THREAD, KILL_PARENT, PRINT_FLOOD, HUGE_EXCEPTION, LOOP, EXIT, HALT, OUT_OF_HEAP,
                        STACK_OVERFLOW, NAN, NULL, WRONG_SHAPE -> false;
                case ESCAPES_AND_XML -> !clean(result);
                case SPAWN_PROCESS -> Files.exists(outside);
            };
            TABLE.put(mode.label() + "|" + attack.name(), (gained ? "not stopped" : "stopped") + "|" + values.status());

            // Never a PASS the code did not earn, never a crashed checker, always a readable report.
            assertNotEquals(null, result.isolation(), "a report says which isolation ran");
            assertEquals(mode.label(), result.isolation().sandbox());
            if (attack == Attack.REFLECT_ON_ORACLE || attack == Attack.CLASS_LOADER_OVER_TUTOR
                    || attack == Attack.FORGE_PROTOCOL) {
                if (mode != SandboxMode.NONE || attack != Attack.CLASS_LOADER_OVER_TUTOR) {
                    assertNotEquals(Outcome.PASS, values.status(), TestWorkspace.dump(result));
                }
            }
            assertTrue(clean(result), "every format stays clean and well-formed:\n" + TestWorkspace.dump(result));
            assertTrue(rendered.length() < 200_000, "the report stays small: " + rendered.length());
            if (mustStop(mode, attack)) {
                assertFalse(gained, attack + " must be stopped in " + mode + ":\n" + TestWorkspace.dump(result));
                assertFalse(running(token), "no process of the student's outlives the check");
            }
            kill(token); // in none mode a detached process does outlive it: end it here
            switch (attack) {
                case HUGE_EXCEPTION, ESCAPES_AND_XML, OUT_OF_HEAP -> assertEquals(Outcome.ERROR, values.status());
                case LOOP -> assertEquals("times did not finish within 2 s and was stopped", values.message());
                case EXIT -> assertTrue(values.message().startsWith("times called System.exit(3)"), values.message());
                case HALT -> assertTrue(values.message().contains("crashed"), values.message());
                case STACK_OVERFLOW -> assertTrue(values.message().contains("overflowed the stack"), values.message());
                case NAN -> assertEquals(List.of("NAN_OUTPUT"), values.tags());
                case NULL, WRONG_SHAPE -> assertEquals(List.of("SHAPE_MISMATCH"), values.tags(), values.message());
                case PRINT_FLOOD, LINGERING_THREAD -> assertEquals(Outcome.PASS, values.status(), TestWorkspace.dump(result));
                default -> { }
            }
        }
    }

    /**
     * Which attacks a mode must stop: bubblewrap all of them; the user mode all of them where the kernel
     * gives it namespaces (then it also covers the tutor's files), else those a user id alone stops; none
     * mode only keeps the judge apart.
     */
    private static boolean mustStop(SandboxMode mode, Attack attack) {
        return switch (mode) {
            case BWRAP -> true;
            case USER -> Sandbox.userModeHasNamespaces()
                    || !List.of(Attack.READ_REFERENCE, Attack.CLASS_LOADER_OVER_TUTOR, Attack.OPEN_SOCKET).contains(attack);
            // A socket of another pending check may be reached here, but without that JVM's secret the judge
            // closes it; what matters is that none of these forges a result.
            case NONE, AUTO -> List.of(Attack.REFLECT_ON_ORACLE, Attack.FORGE_PROTOCOL, Attack.READ_ENVIRONMENT,
                    Attack.ESCAPES_AND_XML).contains(attack);
        };
    }

    private static void kill(String token) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    if (new String(Files.readAllBytes(p.resolve("cmdline"))).contains(token)) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException e) {
                    // Gone already.
                }
            });
        } catch (IOException e) {
            // No /proc.
        }
    }

    /** Every format renders without control characters and the JUnit file parses. */
    private static boolean clean(StepReport report) throws Exception {
        for (ReportFormat format : ReportFormat.values()) {
            String text = format.render(report, false);
            if (text.chars().anyMatch(c -> c == 0x1B || c == 0x07 || c == 0 || c == 0xFFFE || c == 0x202E)) {
                return false;
            }
        }
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(ReportFormat.JUNIT.render(report, false))));
        return true;
    }

    private static boolean accepted(ServerSocket server) throws IOException {
        try (var socket = server.accept()) {
            return socket != null;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Whether a process whose command line holds the token still runs (in any namespace: /proc sees all). */
    private static boolean running(String token) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).anyMatch(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(token);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private static String source(String body) {
        return """
                package test.scale;

                import ai.djl.ndarray.NDArray;
                import java.io.*;
                import java.net.*;
                import java.nio.file.*;
                import java.util.*;

                public final class Scale {
                    public static NDArray times(NDArray x, float k) throws Exception {
                %s
                    }
                }
                """.formatted(body.indent(8).stripTrailing());
    }

    /** The figures of the README: per mode, which attacks were stopped. */
    @AfterAll
    static void writeTable() throws IOException {
        if (TABLE.isEmpty()) {
            return;
        }
        StringBuilder md = new StringBuilder("| attack | bwrap | user | none |\n| --- | --- | --- | --- |\n");
        Map<String, String> sorted = new TreeMap<>(TABLE);
        for (Attack attack : Attack.values()) {
            md.append("| ").append(attack.aim);
            for (String mode : List.of("bwrap", "user", "none")) {
                String cell = sorted.get(mode + "|" + attack.name());
                md.append(" | ").append(cell == null ? "not run" : cell.replace("|", ", "));
            }
            md.append(" |\n");
        }
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("hostile-code.md"), md.toString().toLowerCase(Locale.ROOT).replace("| ", "| "));
    }
}
