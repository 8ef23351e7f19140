package dev.tinyvllm.cli;

import static dev.tinyvllm.testing.InProcessTutor.tutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyvllm.engine.WeightFormat;
import dev.tinyvllm.engine.bench.BenchFormat;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.testing.InProcessTutor.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tutor engine generate|bench} in-process on a small model the test writes. */
class EngineCliTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("tiny");
        RandomQwen2Model.write(model, RandomQwen2Model.tiny(64, 4, 2, 2, true), DType.BF16, 9, 2);
    }

    @Test
    void generateStreamsTheAnswerAndReportsSpeed() {
        for (String dtype : new String[] {"f32", "bf16", "q8"}) {
            Run run = tutor("engine", "generate", "--model", model.toString(), "--prompt", "Hello there", "-n", "12",
                    "--dtype", dtype, "--temperature", "0.7", "--top-k", "50", "--seed", "4");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.err().contains("12 generated") || run.err().contains(", stop]"), run.err());
            assertTrue(run.err().contains(dtype + " weights"), run.err());
            assertTrue(run.out().length() > 1, "some text was printed");
        }
        // Greedy is deterministic across runs.
        Run a = tutor("engine", "generate", "--model", model.toString(), "--prompt", "Hi", "-n", "6");
        Run b = tutor("engine", "generate", "--model", model.toString(), "--prompt", "Hi", "-n", "6");
        assertEquals(a.out(), b.out());
    }

    @Test
    void corruptOrMissingModelsGiveOneClearLine() throws Exception {
        Run missing = tutor("engine", "generate", "--model", dir.resolve("nope").toString(), "--prompt", "x");
        assertEquals(ExitCodes.USAGE, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors.index.json"}) {
            Files.copy(model.resolve(f), broken.resolve(f));
        }
        Files.copy(model.resolve("model-00001-of-00002.safetensors"), broken.resolve("model-00001-of-00002.safetensors"));
        byte[] second = Files.readAllBytes(model.resolve("model-00002-of-00002.safetensors"));
        Files.write(broken.resolve("model-00002-of-00002.safetensors"), java.util.Arrays.copyOf(second, second.length / 2));
        Run truncated = tutor("engine", "generate", "--model", broken.toString(), "--prompt", "x");
        assertEquals(ExitCodes.USAGE, truncated.code());
        assertTrue(truncated.err().startsWith("tutor: ") && truncated.err().contains("truncated safetensors file"),
                truncated.err());

        Files.writeString(broken.resolve("config.json"), "{\"hidden_size\": 64}");
        Run config = tutor("engine", "generate", "--model", broken.toString(), "--prompt", "x");
        assertEquals(ExitCodes.USAGE, config.code());
        assertTrue(config.err().contains("missing the field"), config.err());

        Run badDtype = tutor("engine", "generate", "--model", model.toString(), "--prompt", "x", "--dtype", "int4");
        assertEquals(ExitCodes.USAGE, badDtype.code());
        assertTrue(badDtype.err().startsWith("Invalid value for option '--dtype': expected one of [F32, BF16, Q8] "
                + "(case-insensitive) but was 'int4'"), badDtype.err());
    }

    @Test
    void formatAndDtypeAreParsedByPicocliInAnyCase() {
        CommandLine generate = new CommandLine(new EngineGenerateCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        generate.parseArgs("--random", "tiny", "--prompt", "x", "--dtype", "BF16");
        assertEquals(WeightFormat.BF16, ((EngineGenerateCommand) generate.getCommand()).model.format());
        generate.parseArgs("--random", "tiny", "--prompt", "x");
        assertEquals(WeightFormat.F32, ((EngineGenerateCommand) generate.getCommand()).model.format(), "the default");

        CommandLine bench = new CommandLine(new EngineBenchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        bench.parseArgs("--random", "tiny", "--format", "Json", "--dtype", "q8");
        assertEquals(BenchFormat.JSON, ((EngineBenchCommand) bench.getCommand()).format);
        assertEquals(WeightFormat.Q8, ((EngineBenchCommand) bench.getCommand()).model.format());

        // Rejected while parsing, before a model is written or loaded.
        Run badFormat = tutor("engine", "bench", "--random", "tiny", "--format", "yaml");
        assertEquals(ExitCodes.USAGE, badFormat.code());
        assertTrue(badFormat.err().startsWith("Invalid value for option '--format': expected one of [TEXT, JSON] "
                + "(case-insensitive) but was 'yaml'"), badFormat.err());

        Run help = tutor("engine", "generate", "--help");
        assertTrue(help.out().contains("Weights in memory: f32, bf16 or q8") && help.out().contains("Default: f32."), help.out());
    }

    @Test
    void benchPrintsTheFieldsTheIssueNames() throws Exception {
        Run run = tutor("engine", "bench", "--model", model.toString(), "--format", "json", "--prompt-tokens", "24",
                "--decode-tokens", "6", "--batch", "4", "--batch-prompt-tokens", "5", "--prefix-tokens", "40", "--compare-formats");
        assertEquals(0, run.code(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        for (String path : new String[] {"/batch1/prefill_tok_s", "/batch1/decode_tok_s", "/batch4/decode_tok_s",
                "/libtorch/decode_tok_s", "/libtorch/prefill_tok_s", "/bandwidth_limit_tok_s", "/bandwidth_fraction",
                "/read_bandwidth_gb_s", "/prefix_cache/speedup", "/formats/f32_decode_tok_s", "/formats/bf16_decode_tok_s",
                "/formats/q8_decode_tok_s", "/formats/q8_vs_f32"}) {
            assertTrue(r.at(path).isNumber() && r.at(path).asDouble() > 0, path + " in " + run.out());
        }
        assertEquals(32, r.at("/prefix_cache/cached_tokens").asInt(), "the system prompt's 2 full blocks are reused");
        assertEquals(r.at("/batch1/decode_tok_s").asDouble() / r.at("/bandwidth_limit_tok_s").asDouble(),
                r.at("/bandwidth_fraction").asDouble(), 0.01);
        assertTrue(run.err().contains("bench: libtorch"), run.err());
    }
}
