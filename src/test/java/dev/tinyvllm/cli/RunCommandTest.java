package dev.tinyvllm.cli;

import static dev.tinyvllm.testing.InProcessTutor.tutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.ChatMessage;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.Qwen2Tokenizer;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.steps.week1.qwen2model.Week1ModelOracle;
import dev.tinyvllm.testing.InProcessTutor.Run;
import dev.tinyvllm.testing.TestWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tutor run week1} on tiny random Qwen2 folders the test writes (no real weights can be
 * downloaded here): the student's own code answers, streamed, exactly as the reference model would;
 * a bad folder and unwritten code each get a clear message.
 */
class RunCommandTest {

    private static final String PROMPT = "What is the capital of France?";
    private static final int TOKENS = 10;

    @TempDir
    static Path shared;
    static Path model;
    static String expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModel() throws IOException {
        model = shared.resolve("tiny-qwen2");
        Qwen2Config config = RandomQwen2Model.write(model, RandomQwen2Model.tiny(32, 4, 2, 2, false), DType.BF16, 3, 1);
        expected = oracleAnswer(config);
    }

    /** Greedy decoding on the oracle model, decoded by the tokenizer: what a correct week-1 program prints. */
    private static String oracleAnswer(Qwen2Config config) {
        try (Checkpoint checkpoint = Checkpoint.open(model); Qwen2Tokenizer tokenizer = Qwen2Tokenizer.load(model);
                NDManager manager = NDManager.newBaseManager()) {
            Week1ModelOracle.Weights weights = Week1ModelOracle.load(checkpoint, config, manager);
            int[] sequence = tokenizer.encodeChat(List.of(ChatMessage.user(PROMPT)));
            int promptLength = sequence.length;
            Set<Integer> stops = tokenizer.stopTokenIds();
            while (sequence.length - promptLength < TOKENS) {
                float[] logits = Week1ModelOracle.trace(manager.create(sequence, new Shape(1, sequence.length)), weights)
                        .logits().toFloatArray();
                int vocab = config.vocabSize();
                int best = 0;
                for (int v = 1; v < vocab; v++) {
                    if (logits[logits.length - vocab + v] > logits[logits.length - vocab + best]) {
                        best = v;
                    }
                }
                if (stops.contains(best)) {
                    break;
                }
                sequence = Arrays.copyOf(sequence, sequence.length + 1);
                sequence[sequence.length - 1] = best;
            }
            return tokenizer.decode(Arrays.copyOfRange(sequence, promptLength, sequence.length), false);
        }
    }

    private static Run run(String... extra) {
        String[] base = {"run", "week1", "--model", model.toString(), "--prompt", PROMPT, "--max-tokens",
            String.valueOf(TOKENS)};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return tutor(args);
    }

    @Test
    void theStudentsOwnModelAnswersAsTheReferenceModelWould() {
        TestWorkspace.create(dir).solved("week1/generate", Map.of());
        assertFalse(expected.isEmpty(), "the random model says something before it stops");
        Run run = run("--workspace", dir.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(expected + System.lineSeparator(), run.out(), "the answer is streamed, then a newline");
        assertTrue(run.err().contains("into your Qwen2Model (2 layers)"), run.err());
        assertTrue(run.err().matches("(?s).*tutor: \\d+ calls to your model in .*"), run.err());
        // The bundled reference runs without a workspace and says the same.
        Run reference = run("--reference");
        assertEquals(0, reference.code(), reference.err());
        assertEquals(run.out(), reference.out());
    }

    @Test
    void codeThatIsNotWrittenYetIsNamedWithItsStep() {
        TestWorkspace.create(dir);
        Run run = run("--workspace", dir.toString());
        assertEquals(ExitCodes.NOT_PASSED, run.code(), run.err());
        assertTrue(run.err().contains("tutor: your week1/qwen2-model code: the Qwen2Model constructor is not implemented yet"),
                run.err());
    }

    @Test
    void aBadModelFolderIsReportedBeforeAnyStudentCodeRuns() throws IOException {
        TestWorkspace.create(dir);
        String ws = dir.toString();
        Run missing = tutor("run", "week1", "--model", dir.resolve("nowhere").toString(), "--prompt", "hi", "-w", ws);
        assertEquals(ExitCodes.USAGE, missing.code());
        assertTrue(missing.err().contains("nowhere: no such model folder"), missing.err());

        Path noField = copyModel("no-field");
        Files.writeString(noField.resolve("config.json"),
                Files.readString(noField.resolve("config.json")).replaceAll("\"num_hidden_layers\"\\s*:\\s*2,", ""));
        Run config = tutor("run", "week1", "--model", noField.toString(), "--prompt", "hi", "-w", ws);
        assertEquals(ExitCodes.USAGE, config.code());
        assertTrue(config.err().contains("config.json: missing the field \"num_hidden_layers\""), config.err());

        Path truncated = copyModel("truncated");
        Path weights = truncated.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 100));
        Run cut = tutor("run", "week1", "--model", truncated.toString(), "--prompt", "hi", "-w", ws);
        assertEquals(ExitCodes.USAGE, cut.code());
        assertTrue(cut.err().contains("model.safetensors: truncated safetensors file"), cut.err());

        Path noTokenizer = copyModel("no-tokenizer");
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        Run tokenizer = tutor("run", "week1", "--model", noTokenizer.toString(), "--prompt", "hi", "-w", ws);
        assertEquals(ExitCodes.USAGE, tokenizer.code());
        assertTrue(tokenizer.err().contains("no tokenizer.json"), tokenizer.err());
        assertFalse(Files.exists(dir.resolve(".tutor/build/run-week1")), "nothing was compiled for a bad folder");

        Run week = tutor("run", "week9", "--model", model.toString(), "--prompt", "hi", "-w", ws);
        assertEquals(ExitCodes.USAGE, week.code());
        assertTrue(week.err().contains("knows week1 only"), week.err());
    }

    private Path copyModel(String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        try (var files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }
}
