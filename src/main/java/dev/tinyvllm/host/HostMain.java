package dev.tinyvllm.host;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.host.wire.ChannelStreams;
import dev.tinyvllm.host.wire.Message;
import dev.tinyvllm.host.wire.Wire;
import dev.tinyvllm.host.wire.WireException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The student JVM: connects to the judge's socket, loads libtorch while the judge compiles, then
 * answers the judge's requests one at a time until the judge ends it. Its class path holds the student
 * API, DJL and the tutor's public fixtures, and nothing the student may not see.
 */
public final class HostMain {

    /** The argument that asks to compile the fused kernels' TorchScript module before the first check. */
    public static final String WARM_FUSED_KERNELS = "--warm-fused-kernels";

    private static volatile boolean finished;

    private HostMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals(WARM_FUSED_KERNELS))) {
            System.err.println("usage: HostMain SOCKET [" + WARM_FUSED_KERNELS + "] (started by `tutor check`, not by hand)");
            System.exit(2);
        }
        // The judge's secret, on a pipe only it holds: proves to it that this connection is the JVM it started.
        String token = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        long uptime = System.currentTimeMillis()
                - ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis());
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
        InputStream in = new BufferedInputStream(ChannelStreams.in(channel));
        OutputStream out = ChannelStreams.out(channel);
        send(out, new Message.Hello(Message.PROTOCOL, uptime, token == null ? "" : token));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished) {
                send(out, new Message.Exiting());
            }
        }));

        long start = System.nanoTime();
        NDManager base;
        try {
            Engine.getEngine("PyTorch");
            base = NDManager.newBaseManager();
            base.ones(new ai.djl.ndarray.types.Shape(2)).add(1).toFloatArray();
        } catch (RuntimeException | LinkageError e) {
            finished = true;
            send(out, new Message.Broken("libtorch did not load: " + e));
            System.exit(3);
            return;
        }
        send(out, new Message.Ready((System.nanoTime() - start) / 1_000_000));
        if (args.length == 2) {
            // A spare does this while it waits; a first JVM while the judge compiles.
            try (NDManager warm = base.newSubManager()) {
                NDArray x = warm.ones(new ai.djl.ndarray.types.Shape(1, 1, 2, 2));
                dev.tinyvllm.student.Kernels.scaledDotProductAttention(x, x, x, null, true);
            } catch (RuntimeException e) {
                // Only a head start: the step's own call reports what is wrong.
            }
        }

        Host host = new Host(HostMain.class.getClassLoader(), base, true);
        while (true) {
            byte[] frame = Wire.readFrame(in, Wire.MAX_FRAME);
            if (frame == null) {
                break; // the judge is done with this JVM
            }
            Message request;
            try {
                request = Message.decode(frame);
            } catch (WireException e) {
                send(out, new Message.Failed(-1, "ERROR", "the student JVM could not read a request: " + e.getMessage()));
                continue;
            }
            send(out, host.handle(request));
        }
        finished = true;
        // Student code may have left threads running: end without waiting for them.
        Runtime.getRuntime().halt(0);
    }

    private static void send(OutputStream out, Message message) {
        synchronized (out) {
            try {
                Wire.writeFrame(out, message.encode());
            } catch (IOException e) {
                // The judge is gone; it has what it needs, or it will report the silence.
            }
        }
    }
}
