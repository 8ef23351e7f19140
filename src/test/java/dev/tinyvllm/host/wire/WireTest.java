package dev.tinyvllm.host.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The judge reads what the student JVM writes, so every message survives the wire as it was, and every
 * byte sequence that is not a message is a WireException: never another exception, never an allocation
 * a forged length asks for.
 */
class WireTest {

    @Test
    void everyMessageAndValueKindSurvivesTheWire() throws Exception {
        Tensor tensor = new Tensor("FLOAT32", new long[] {2, 1}, new byte[8]);
        List<Object> args = List.of(1, 2L, 3.5f, 4.5, true, "text", new int[] {1, 2}, new long[] {3}, new float[] {1.5f},
                new boolean[] {true}, new int[][] {{1}, {2, 3}}, tensor, Set.of(7), new Handle(3, "week1.X"),
                new Open(Open.Kind.MODEL_FOLDER, "/tmp/m"));
        List<Message> messages = List.of(new Message.Hello(1, 20, "secret"), new Message.Ready(5), new Message.Broken("no"),
                new Message.Load(List.of("/a", "/b")), new Message.Loaded(), new Message.Begin("x.y", null),
                new Message.Began(), new Message.Call(7, Message.Target.STATIC, "week1.X", -1, "f",
                        List.of("int", "ai.djl.ndarray.NDArray"), args),
                new Message.Returned(7, List.of(tensor, "a")), new Message.Failed(7, "ERROR", "bad"), new Message.End(),
                new Message.Ended(null), new Message.Exiting());
        for (Message m : messages) {
            Message back = Message.decode(m.encode());
            assertEquals(m.getClass(), back.getClass());
            assertArrayEquals(m.encode(), back.encode(), m.toString());
        }
    }

    @Test
    void randomBytesAndTruncatedFramesAreWireExceptionsOnly() throws Exception {
        Random random = new Random(7);
        byte[] good = new Message.Call(1, Message.Target.NEW, "a.B", -1, "x", List.of("int"), List.of(5)).encode();
        for (int i = 0; i < 20_000; i++) {
            byte[] frame;
            if (i % 2 == 0) {
                frame = new byte[random.nextInt(64)];
                random.nextBytes(frame);
            } else {
                frame = good.clone();
                frame[random.nextInt(frame.length)] = (byte) random.nextInt();
                frame = java.util.Arrays.copyOf(frame, random.nextInt(frame.length + 1));
            }
            try {
                Message.decode(frame);
            } catch (WireException expected) {
                // The only way a bad frame may fail.
            }
        }
    }

    @Test
    void aForgedCountOrLengthIsRefusedBeforeAnythingIsAllocated() throws Exception {
        // A STRING value that claims two billion bytes, in a frame of a dozen.
        byte[] frame = ByteBuffer.allocate(11).put((byte) 3).put((byte) 7).putInt(Integer.MAX_VALUE).array();
        WireException e = assertThrows(WireException.class, () -> Message.decode(frame));
        assertTrue(e.getMessage().contains("cannot hold"), e.getMessage());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new java.io.DataOutputStream(out).writeInt(Integer.MAX_VALUE);
        assertThrows(WireException.class, () -> Wire.readFrame(new ByteArrayInputStream(out.toByteArray()), 1 << 20));
        assertThrows(WireException.class, () -> Tensor.checked("FLOAT32", new long[] {3}, new byte[4]));
        assertThrows(WireException.class, () -> Tensor.checked("COMPLEX", new long[] {1}, new byte[8]));
    }
}
