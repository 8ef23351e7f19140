package dev.tinyvllm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path dir;

    private static final float[] VALUES = {0f, 1f, -2.5f, 3.1415927f, 1e-3f, -65504f, 6.1e-5f, 1e-7f, 123456.78f, -0f, 0.1f, 7f};

    @Test
    void eachDtypeRoundTripsWithItsOwnPrecision() throws IOException {
        Path file = dir.resolve(Checkpoint.SINGLE);
        SafetensorsWriter.write(file, List.of(
                SafetensorsWriter.Entry.of("a.f32", DType.F32, VALUES, 3, 4),
                SafetensorsWriter.Entry.of("b.bf16", DType.BF16, VALUES, 12),
                SafetensorsWriter.Entry.of("c.f16", DType.F16, VALUES, 2, 2, 3)), Map.of("format", "pt"));
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            assertEquals(List.of("a.f32", "b.bf16", "c.f16"), List.copyOf(ckpt.names()));
            assertArrayEquals(new long[] {3, 4}, ckpt.info("a.f32").shape());
            assertArrayEquals(VALUES, ckpt.readFloats("a.f32"));
            float[] bf = ckpt.readFloats("b.bf16");
            float[] half = ckpt.readFloats("c.f16");
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(VALUES[i], bf[i], Math.abs(VALUES[i]) / 128 + 1e-30, "bf16 keeps 8 bits of mantissa");
                if (Math.abs(VALUES[i]) >= 6.1e-5f && Math.abs(VALUES[i]) <= 65504f) {
                    assertEquals(VALUES[i], half[i], Math.abs(VALUES[i]) / 1024, "f16 keeps 11 bits of mantissa");
                }
            }
            assertEquals(2 * 0x1p-24f, half[7], "1e-7 becomes the subnormal 2^-23 in f16, as in torch");
            assertEquals(Float.POSITIVE_INFINITY, half[8], "123456 overflows f16");
            short[] bits = new short[12];
            ckpt.readBf16("b.bf16", bits, 0);
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(DType.floatToBf16(VALUES[i]), bits[i]);
            }
            assertEquals("pt", ckpt.files().get(0).metadata().get("format"));
        }
    }

    @Test
    void bf16AndF16ConversionsMatchTorchRounding() {
        // 1 + 2^-8 is exactly half-way between two bf16 values: ties go to the even one (1.0).
        assertEquals(1.0f, DType.bf16ToFloat(DType.floatToBf16(1f + 0x1p-8f)));
        assertEquals(1f + 0x1p-7f, DType.bf16ToFloat(DType.floatToBf16(1f + 0x1p-8f + 0x1p-20f)));
        assertTrue(Float.isNaN(DType.bf16ToFloat(DType.floatToBf16(Float.NaN))));
        assertEquals(65504f, DType.f16ToFloat(DType.floatToF16(65504f)));
        assertEquals(Float.POSITIVE_INFINITY, DType.f16ToFloat(DType.floatToF16(1e6f)));
        assertEquals(0x1p-24f, DType.f16ToFloat(DType.floatToF16(0x1p-24f)));
        for (int bits = 0; bits < 0x7C00; bits += 7) {
            float f = DType.f16ToFloat((short) bits);
            assertEquals((short) bits, DType.floatToF16(f), "f16 → f32 → f16 is exact for " + bits);
        }
    }

    @Test
    void shardedCheckpointsAreReadThroughTheirIndex() throws IOException {
        Qwen2Config c = RandomQwen2Model.write(dir, RandomQwen2Model.tiny(32, 2, 1, 2, false), DType.F32, 7, 3);
        assertTrue(Files.exists(dir.resolve(Checkpoint.INDEX)));
        assertTrue(Files.exists(dir.resolve("model-00003-of-00003.safetensors")));
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            assertEquals(3, ckpt.files().size());
            assertEquals(1 + 2 * 12 + 1 + 1, ckpt.names().size(), "embedding, 12 per layer, final norm, untied head");
            float[] head = ckpt.readFloats("lm_head.weight");
            assertEquals((long) c.vocabSize() * c.hiddenSize(), head.length);
            ckpt.info("model.layers.1.mlp.down_proj.weight", c.hiddenSize(), c.intermediateSize());
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> ckpt.info("model.layers.1.mlp.down_proj.weight", c.intermediateSize(), c.hiddenSize()));
            assertTrue(e.getMessage().contains("has shape"), e.getMessage());
            assertTrue(assertThrows(ModelFormatException.class, () -> ckpt.info("model.layers.9.mlp.up_proj.weight"))
                    .getMessage().contains("no tensor"));
        }
        // The same seed writes the same bytes; another seed does not.
        Path again = dir.resolve("again");
        RandomQwen2Model.write(again, RandomQwen2Model.tiny(32, 2, 1, 2, false), DType.F32, 7, 1);
        Path other = dir.resolve("other");
        RandomQwen2Model.write(other, RandomQwen2Model.tiny(32, 2, 1, 2, false), DType.F32, 8, 1);
        try (Checkpoint a = Checkpoint.open(dir); Checkpoint b = Checkpoint.open(again); Checkpoint o = Checkpoint.open(other)) {
            assertArrayEquals(a.readFloats("model.embed_tokens.weight"), b.readFloats("model.embed_tokens.weight"));
            assertTrue(!Arrays.equals(a.readFloats("model.embed_tokens.weight"), o.readFloats("model.embed_tokens.weight")));
        }
    }

    @Test
    void truncatedFilesNameTheTensorThatIsCut() throws IOException {
        Path file = dir.resolve(Checkpoint.SINGLE);
        SafetensorsWriter.write(file, List.of(SafetensorsWriter.Entry.of("w", DType.F32, VALUES, 12)), Map.of());
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 5));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("\"w\""), e.getMessage());

        Files.write(file, Arrays.copyOf(whole, 20));
        e = assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("header"), e.getMessage());

        Files.write(file, new byte[3]);
        e = assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void corruptHeadersAreRejectedWithTheReason() throws IOException {
        assertCorrupt("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 12]}}", 12, "needs 8 bytes");
        assertCorrupt("{\"w\": {\"dtype\": \"Q4\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "unknown dtype");
        assertCorrupt("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + "\"v\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12, "overlap");
        assertCorrupt("{\"w\": {\"dtype\": \"F32\", \"shape\": [2]}}", 8, "data_offsets");
        assertCorrupt("{\"w\": [1, 2", 8, "not JSON");
        // A header length far beyond the file is not mistaken for a model.
        Path file = dir.resolve(Checkpoint.SINGLE);
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -5).array());
        assertTrue(assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage().contains("out of range"));
    }

    @Test
    void foldersWithoutWeightsOrWithABadIndexAreRejected() throws IOException {
        assertTrue(assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage().contains("no weights"));
        assertTrue(assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir.resolve("nope"))).getMessage()
                .contains("not a model folder"));
        SafetensorsWriter.write(dir.resolve("a.safetensors"), List.of(SafetensorsWriter.Entry.of("w", DType.F32, VALUES, 12)), Map.of());
        Files.writeString(dir.resolve(Checkpoint.INDEX), "{\"weight_map\": {\"w\": \"a.safetensors\", \"x\": \"a.safetensors\"}}");
        assertTrue(assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage()
                .contains("\"x\" in a.safetensors, but that file has no such tensor"));
        Files.writeString(dir.resolve(Checkpoint.INDEX), "{\"weight_map\": {\"w\": \"missing.safetensors\"}}");
        assertTrue(assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage()
                .contains("no such safetensors file"));
    }

    private void assertCorrupt(String header, int dataBytes, String expected) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path file = dir.resolve(Checkpoint.SINGLE);
        Files.write(file, b.array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.toString()), e.getMessage());
    }
}
