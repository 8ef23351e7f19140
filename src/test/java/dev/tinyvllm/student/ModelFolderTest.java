package dev.tinyvllm.student;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.model.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course's model loader as student code sees it, on model folders the test writes: real checkpoints
 * (bfloat16, sharded) come out as float32 in Hugging Face's shapes, and every way a folder can be
 * broken is refused at {@link ModelFolder#open} with the file and the problem.
 */
class ModelFolderTest {

    @TempDir
    Path dir;

    @Test
    void aShardedBf16CheckpointComesOutAsFloat32InItsStoredShapes() throws IOException {
        RandomQwen2Model.write(dir, RandomQwen2Model.tiny(32, 4, 2, 3, false), DType.BF16, 5, 3);
        try (ModelFolder folder = ModelFolder.open(dir); Checkpoint checkpoint = Checkpoint.open(dir);
                NDManager manager = NDManager.newBaseManager()) {
            ModelConfig c = folder.config();
            assertEquals(32, c.hiddenSize());
            assertEquals(72, c.intermediateSize());
            assertEquals(3, c.numHiddenLayers());
            assertEquals(4, c.numAttentionHeads());
            assertEquals(2, c.numKeyValueHeads());
            assertEquals(8, c.headDim());
            assertEquals(1e-6f, c.rmsNormEps());
            assertFalse(c.tieWordEmbeddings());
            assertTrue(folder.has("lm_head.weight"));
            assertEquals(List.copyOf(folder.names()), folder.names().stream().sorted().toList());
            assertEquals(1 + 3 * 12 + 1 + 1, folder.names().size());

            NDArray k = folder.tensor(manager, "model.layers.2.self_attn.k_proj.weight");
            assertEquals(DataType.FLOAT32, k.getDataType());
            assertArrayEquals(new long[] {16, 32}, k.getShape().getShape(), "[kvHeads * headDim, hidden]");
            assertArrayEquals(new long[] {16, 32}, folder.shape("model.layers.2.self_attn.k_proj.weight"));
            float[] values = k.toFloatArray();
            assertArrayEquals(checkpoint.readFloats("model.layers.2.self_attn.k_proj.weight"), values);
            for (float v : values) {
                assertEquals(v, DType.bf16ToFloat(DType.floatToBf16(v)), "exactly a bfloat16 value, widened");
            }
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> folder.tensor(manager, "model.layers.3.mlp.up_proj.weight"));
            assertTrue(missing.getMessage().contains("no tensor \"model.layers.3.mlp.up_proj.weight\""), missing.getMessage());
        }
    }

    @Test
    void aFolderThatIsNotThereOrHasNoConfigIsRefused() throws IOException {
        assertMessage(dir.resolve("absent"), "absent: no such model folder");
        assertMessage(dir, "no config.json");
    }

    @Test
    void aConfigWithoutAFieldQwen2NeedsNamesTheField() throws IOException {
        RandomQwen2Model.write(dir, RandomQwen2Model.tiny(32, 4, 2, 2, true), DType.F32, 1, 1);
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replaceAll("\"intermediate_size\"\\s*:\\s*\\d+,", ""));
        assertMessage(dir, "config.json: missing the field \"intermediate_size\"");
        Files.writeString(config, "{\"hidden_size\": 32,");
        assertMessage(dir, "config.json: not valid JSON");
    }

    @Test
    void truncatedAndCorruptWeightsNameTheFile() throws IOException {
        RandomQwen2Model.write(dir, RandomQwen2Model.tiny(32, 4, 2, 2, true), DType.F32, 1, 1);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 4));
        assertMessage(dir, "model.safetensors: truncated safetensors file");
        Files.write(weights, Arrays.copyOf(bytes, 5));
        assertMessage(dir, "model.safetensors: truncated safetensors file (5 bytes");
        byte[] corrupt = bytes.clone();
        corrupt[8] = 'X';
        Files.write(weights, corrupt);
        assertMessage(dir, "model.safetensors: corrupt safetensors header (not JSON)");
    }

    @Test
    void aMissingOrMisshapenWeightIsNamed() throws IOException {
        RandomQwen2Model.write(dir, RandomQwen2Model.tiny(32, 4, 2, 2, false), DType.F32, 1, 1);
        Path weights = dir.resolve("model.safetensors");
        List<SafetensorsWriter.Entry> kept;
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            kept = checkpoint.names().stream().filter(n -> !n.equals("lm_head.weight"))
                    .map(n -> SafetensorsWriter.Entry.of(n, DType.F32, checkpoint.readFloats(n), checkpoint.info(n).shape()))
                    .toList();
        }
        SafetensorsWriter.write(weights, kept, Map.of("format", "pt"));
        assertMessage(dir, "the weights have no tensor \"lm_head.weight\"");

        List<SafetensorsWriter.Entry> reshaped = kept.stream().map(e -> !e.name().equals("model.norm.weight") ? e
                : SafetensorsWriter.Entry.of(e.name(), DType.F32, new float[31], 31)).toList();
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"tie_word_embeddings\" : false",
                "\"tie_word_embeddings\" : true"));
        SafetensorsWriter.write(weights, reshaped, Map.of("format", "pt"));
        assertMessage(dir, "tensor \"model.norm.weight\" has shape [31] but the config needs [32]");
    }

    @Test
    void theStudentTokenizerSpeaksQwen2sChatFormat() throws IOException {
        RandomQwen2Model.write(dir, RandomQwen2Model.tiny(32, 4, 2, 2, true), DType.F32, 1, 1);
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            String prompt = tokenizer.applyChatTemplate("Hi there");
            assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                    + "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n", prompt);
            int[] ids = tokenizer.encode(prompt);
            int imEnd = tokenizer.encode("<|im_end|>")[0];
            assertEquals(1, tokenizer.encode("<|im_end|>").length, "a special marker is one id");
            assertTrue(tokenizer.stopTokenIds().contains(imEnd));
            assertEquals(prompt, tokenizer.decode(ids), "special tokens decode to their text");
            int[] coffee = tokenizer.encode("☕");
            assertEquals(3, coffee.length, "three bytes, three byte-level tokens");
            assertEquals("\uFFFD", tokenizer.decode(Arrays.copyOf(coffee, 1)).substring(0, 1));
            assertEquals("☕", tokenizer.decode(coffee));
            assertTrue(tokenizer.vocabularySize() > imEnd);
        }
        Files.delete(dir.resolve("tokenizer.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("no tokenizer.json"), e.getMessage());
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\"}}", StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("not a BPE tokenizer"), e.getMessage());
    }

    private static void assertMessage(Path folder, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFolder.open(folder));
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }
}
