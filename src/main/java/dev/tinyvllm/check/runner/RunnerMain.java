package dev.tinyvllm.check.runner;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepGrader;
import dev.tinyvllm.check.steps.Graders;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The grading JVM: loads libtorch while the parent compiles, then runs the requested checks on the
 * student's classes and reports each one as it ends. Whatever student code does to this process
 * (loop, exit, crash), the parent sees which check was running.
 */
public final class RunnerMain {

    private static volatile String current;
    private static volatile boolean finished;

    private RunnerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RunnerMain STEP SEED (started by `tutor check`, not by hand)");
            System.exit(2);
        }
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Step step = Catalog.load().requireStep(args[0]);
        StepGrader grader = Graders.forStep(step.id()).orElseThrow();
        long seed = Long.parseLong(args[1]);
        send(protocol, Protocol.Event.of("started", null, ManagementFactory.getRuntimeMXBean().getUptime()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished) {
                send(protocol, Protocol.Event.of("exit", current, null));
            }
        }));

        long engineStart = System.nanoTime();
        warmUp(grader);
        send(protocol, Protocol.Event.of("ready", null, (System.nanoTime() - engineStart) / 1_000_000));

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            finished = true;
            return;
        }
        Protocol.Request request = Protocol.JSON.readValue(line, Protocol.Request.class);
        OutputCapture capture = OutputCapture.install();
        ClassLoader loader = new StudentClassLoader(Path.of(request.classes()), RunnerMain.class.getClassLoader());
        ReflectiveStudentCode code = new ReflectiveStudentCode(loader, step.className());
        Map<String, CheckSpec> specs = grader.checks().stream()
                .collect(Collectors.toMap(CheckSpec::id, Function.identity()));
        try (NDManager base = NDManager.newBaseManager()) {
            for (String id : request.checks()) {
                CheckSpec spec = specs.get(id);
                current = id;
                send(protocol, Protocol.Event.of("begin", id, null));
                long start = System.nanoTime();
                CheckResult result;
                try (NDManager manager = base.newSubManager()) {
                    result = grader.run(spec, code, manager, step, seed);
                } catch (OutOfMemoryError e) {
                    result = CheckResult.of(spec, Outcome.ERROR, spec.function() + " ran out of memory: " + e.getMessage());
                } catch (RuntimeException | Error e) {
                    result = CheckResult.of(spec, Outcome.ERROR, "the checker failed on this check (a bug of the "
                            + "tutor, not of your code): " + e);
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                send(protocol, new Protocol.Event("result", id, result.withOutput(capture.take(), millis), null));
                current = null;
            }
        }
        finished = true;
        send(protocol, Protocol.Event.of("done", null, null));
        protocol.flush();
        // Student code may have left threads running; exit rather than wait for them. (Not halt:
        // a normal exit also writes the class-data archive when one is being made.)
        System.exit(0);
    }

    /** Loads libtorch and compiles the kernel modules before any student code runs. */
    private static void warmUp(StepGrader grader) {
        Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager()) {
            grader.warmUp(m);
        }
    }

    private static synchronized void send(PrintStream protocol, Protocol.Event event) {
        try {
            protocol.println(Protocol.PREFIX + Protocol.JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            protocol.println(Protocol.PREFIX + "{\"type\":\"invalid\"}");
        }
        protocol.flush();
    }
}
