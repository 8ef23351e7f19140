package dev.tinyvllm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Qwen2ConfigTest {

    @TempDir
    Path dir;

    /** The fields of Qwen2-0.5B's config.json, as Hugging Face publishes them. */
    static final String QWEN2_05B = """
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
             "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
             "intermediate_size": 4864, "max_position_embeddings": 131072, "max_window_layers": 24,
             "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
             "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 131072, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "transformers_version": "4.40.1", "use_cache": true,
             "use_sliding_window": false, "vocab_size": 151936}
            """;

    @Test
    void readsARealQwen2Config() {
        Qwen2Config c = Qwen2Config.parse(QWEN2_05B);
        assertEquals(896, c.hiddenSize());
        assertEquals(64, c.headDim());
        assertEquals(128, c.kvDim());
        assertEquals(7, c.queriesPerKv());
        assertEquals(1e6, c.ropeTheta());
        assertTrue(c.tieWordEmbeddings());
        assertEquals("bfloat16", c.torchDtype());
        assertEquals(151643, c.eosTokenId());
        assertEquals(RandomQwen2Model.preset("qwen2-0.5b").intermediateSize(), c.intermediateSize());
    }

    @Test
    void writtenConfigReadsBackEqual() throws Exception {
        Qwen2Config c = RandomQwen2Model.preset("qwen2-0.5b");
        Files.writeString(dir.resolve("config.json"), c.toJson());
        assertEquals(c, Qwen2Config.read(dir));
    }

    @Test
    void missingFieldIsNamedWithTheFile() throws Exception {
        Files.writeString(dir.resolve("config.json"), QWEN2_05B.replace("\"intermediate_size\": 4864,", ""));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Qwen2Config.read(dir));
        assertTrue(e.getMessage().contains("missing the field \"intermediate_size\"")
                && e.getMessage().contains(dir.resolve("config.json").toString()), e.getMessage());
    }

    @Test
    void invalidValuesAreRejected() {
        assertMessage(QWEN2_05B.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"), "not a multiple");
        assertMessage(QWEN2_05B.replace("\"hidden_size\": 896", "\"hidden_size\": \"896\""), "must be an integer");
        assertMessage(QWEN2_05B.replace("\"rms_norm_eps\": 1e-06", "\"rms_norm_eps\": -1"), "rms_norm_eps");
        assertMessage(QWEN2_05B.replace("\"model_type\": \"qwen2\"", "\"model_type\": \"llama\""), "only qwen2");
        assertMessage(QWEN2_05B.replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"), "sliding");
        assertMessage("[1, 2]", "JSON object");
        assertMessage("{\"hidden_size\": ", "not valid JSON");
    }

    @Test
    void aFolderWithoutConfigSaysSo() {
        assertTrue(assertThrows(ModelFormatException.class, () -> Qwen2Config.read(dir)).getMessage().contains("no config.json"));
    }

    private static void assertMessage(String json, String expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Qwen2Config.parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
