package dev.tinyvllm.review.bench;

import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.transcript.ManualClock;
import dev.tinyvllm.transcript.TranscriptEvent.CheckOutcome;
import dev.tinyvllm.transcript.TranscriptWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a class's worth of plausible sessions with the real transcript writer, for the benchmark and
 * for trying the reports: students working on week1/attention (and a few moving on to week1/rope),
 * asking, checking until they pass, the guard stepping in, the LLM failing now and then, a few
 * sessions killed mid-line. Seeded, so the same arguments give the same files.
 */
public final class SyntheticSessions {

    private static final String ATTENTION = "week1/attention";
    private static final String ROPE = "week1/rope";
    private static final String[] TAGS = {"MASK_INVERTED", "SCALE_MISSING", "CAUSAL_OFF_BY_ONE", "HEADS_NOT_TRANSPOSED",
        "SOFTMAX_WRONG_AXIS", "MASK_IGNORED", "SEQUENCES_MIXED"};
    private static final String[] QUESTIONS = {"Why is my mask wrong?", "What shape should the scores have?",
        "Why does the padding check fail?", "What does headDim mean here?", "Is the scale applied before the softmax?",
        "How do I split the heads?", "Why do my outputs move when I change the last token?", "What is cuSeqlens for?"};
    private static final String[] ANSWER_REQUESTS = {"just give me the code", "can you write it for me?",
        "show me the solution please", "what is the answer?"};
    private static final String[] TUTOR = {
        "What value does `mask` hold at a padded position, and what does your code do with it?",
        "Which axis of your scores is the key position?",
        "If you print the shape of your scores for batch 2 and 3 heads, what do you see?",
        "How would the spread of a dot product change as `headDim` grows?",
        "Which of the steps you wrote for the eager version does the fused kernel do for you?"};
    private static final String LEAK = "Try this:\n```java\nNDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));\n```\n"
            + "What shape do you get?";

    private SyntheticSessions() {}

    /**
     * Writes {@code sessions} transcripts under {@code root/student-NN/.tutor/sessions/}, four per student.
     *
     * @return the files written
     */
    public static List<Path> write(Path root, int sessions, long seed) throws IOException {
        Random random = new Random(seed);
        int students = Math.max(1, (sessions + 3) / 4);
        List<Path> files = new ArrayList<>();
        Instant term = Instant.parse("2026-11-02T09:00:00Z");
        int[] failuresBeforePass = new int[students];
        boolean[] passed = new boolean[students];
        for (int i = 0; i < students; i++) {
            failuresBeforePass[i] = 1 + random.nextInt(8);
        }
        for (int i = 0; i < sessions; i++) {
            int student = i % students;
            Instant start = term.plus(Duration.ofHours(3L * i + random.nextInt(3)));
            Path workspace = root.resolve(String.format("student-%02d", student + 1));
            files.add(session(workspace, start, random, student, failuresBeforePass, passed));
        }
        return files;
    }

    private static Path session(Path workspace, Instant start, Random random, int student, int[] failuresLeft,
            boolean[] passed) throws IOException {
        ManualClock clock = new ManualClock(start);
        boolean llm = random.nextInt(4) != 0;
        String step = passed[student] ? ROPE : ATTENTION;
        Path file;
        boolean killed = random.nextInt(12) == 0;
        try (TranscriptWriter w = TranscriptWriter.create(workspace.resolve(".tutor/sessions"), clock)) {
            file = w.file();
            w.write(new TranscriptEvent.SessionStart(w.session(), step, llm ? "llm" : "offline", llm ? "qwen2.5-coder:7b" : null,
                    llm ? "http://127.0.0.1:11434/v1" : null, "0.1.0", "17", "/home/" + workspace.getFileName() + "/tiny-vllm"));
            int rounds = 6 + random.nextInt(10);
            int hint = 0;
            for (int r = 0; r < rounds; r++) {
                tick(clock, random, 20, 240);
                if (random.nextInt(6) == 0) {
                    w.write(new TranscriptEvent.StudentMessage(ANSWER_REQUESTS[random.nextInt(ANSWER_REQUESTS.length)]));
                } else {
                    w.write(new TranscriptEvent.StudentMessage(QUESTIONS[random.nextInt(QUESTIONS.length)]));
                }
                tick(clock, random, 1, 4);
                if (llm && random.nextInt(8) == 0) {
                    w.write(new TranscriptEvent.GuardIntervention(random.nextBoolean() ? "code" : "no_question",
                            "stopped before it was shown", "scores = scores.div(Math.sqrt(headDim));", 1,
                            random.nextInt(3) == 0 ? "fallback" : "regenerate"));
                    tick(clock, random, 1, 3);
                }
                if (llm && random.nextInt(15) == 0) {
                    w.write(new TranscriptEvent.Error("llm", "connection refused", "the offline tutor answered"));
                }
                String text = llm && random.nextInt(40) == 0 ? LEAK : TUTOR[random.nextInt(TUTOR.length)];
                w.write(new TranscriptEvent.TutorMessage(text, llm ? "llm" : "offline", step, hint, random.nextInt(10) != 0,
                        llm ? 200 + random.nextInt(900) : 0, llm ? 1500 + random.nextInt(4000) : 3));
                if (random.nextInt(4) == 0 && hint < 2) {
                    hint++;
                    w.write(new TranscriptEvent.HintLevel(step, hint, "attempts without progress"));
                }
                if (random.nextInt(3) == 0) {
                    tick(clock, random, 30, 400);
                    w.write(new TranscriptEvent.StudentMessage("/check"));
                    tick(clock, random, 1, 3);
                    w.write(check(step, random, student, failuresLeft, passed));
                }
            }
            if (!killed) {
                tick(clock, random, 5, 60);
                w.write(new TranscriptEvent.SessionEnd(random.nextBoolean() ? "quit" : "eof",
                        Duration.between(start, clock.instant()).toMillis()));
            }
        }
        if (killed) {
            Files.writeString(file, "{\"v\":1,\"seq\":99,\"ts\":\"2026-", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        return file;
    }

    private static TranscriptEvent.CheckRun check(String step, Random random, int student, int[] failuresLeft, boolean[] passed) {
        if (step.equals(ATTENTION) && failuresLeft[student] <= 0) {
            passed[student] = true;
            return new TranscriptEvent.CheckRun(step, "PASS", 24, 26, 2,
                    List.of(new CheckOutcome("eager_causal.padding_mask", "PASS", List.of())), "student", 1300 + random.nextInt(400));
        }
        failuresLeft[student]--;
        if (random.nextInt(7) == 0) {
            return new TranscriptEvent.CheckRun(step, "COMPILE_ERROR", 0, 26, 0, List.of(), "student", 600);
        }
        String tag = TAGS[random.nextInt(TAGS.length)];
        return new TranscriptEvent.CheckRun(step, "FAIL", 6 + random.nextInt(16), 26, 2,
                List.of(new CheckOutcome("eager_causal.padding_mask", "FAIL", List.of(tag)),
                        new CheckOutcome("eager_bidirectional.no_mask", "PASS", List.of())),
                random.nextInt(5) == 0 ? "tutor" : "student", 1300 + random.nextInt(400));
    }

    private static void tick(ManualClock clock, Random random, int minSeconds, int maxSeconds) {
        clock.set(clock.instant().plusSeconds(minSeconds + random.nextInt(maxSeconds - minSeconds + 1)));
    }

    /** {@code java ... SyntheticSessions DIR [SESSIONS] [SEED]}: writes a folder to try {@code tutor review} on. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SyntheticSessions DIR [SESSIONS (default 200)] [SEED (default 1)]");
            System.exit(2);
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        List<Path> files = write(Path.of(args[0]), n, seed);
        System.out.println("wrote " + files.size() + " sessions under " + args[0]);
    }
}
