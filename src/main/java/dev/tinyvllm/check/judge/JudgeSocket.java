package dev.tinyvllm.check.judge;

import dev.tinyvllm.host.wire.ChannelStreams;
import dev.tinyvllm.host.wire.Message;
import dev.tinyvllm.host.wire.Wire;
import dev.tinyvllm.host.wire.WireException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The judge's end of one student JVM's conversation: a socket only the judge listens on, which admits
 * the first connection that says the JVM's secret first (any other is closed), then removes itself, and
 * queues what the JVM sends: its messages, a {@link StudentJvmStopped} for anything that is not one, and
 * {@link #END} when it is gone.
 */
final class JudgeSocket implements AutoCloseable {

    /** Marks the end of the JVM's messages, whatever the reason. */
    static final Object END = new Object();

    private static final int REPLY_LIMIT = 64 << 20;

    private final Path path;
    private final ServerSocketChannel server;
    private final String token = HexFormat.of().formatHex(randomBytes());
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final CompletableFuture<SocketChannel> connection = new CompletableFuture<>();

    JudgeSocket(Path path) throws IOException {
        this.path = path;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
    }

    Path path() {
        return path;
    }

    /** The secret the JVM gets on its stdin (a pipe only the judge holds) and must say first. */
    String token() {
        return token;
    }

    BlockingQueue<Object> replies() {
        return replies;
    }

    /** Takes connections in the background until the JVM's own arrives. */
    void listen() {
        Thread accept = new Thread(this::accept, "student-jvm-accept");
        accept.setDaemon(true);
        accept.start();
    }

    SocketChannel awaitConnection(long millis) throws TimeoutException, ExecutionException, InterruptedException {
        return connection.get(millis, TimeUnit.MILLISECONDS);
    }

    private void accept() {
        try {
            while (!connection.isDone()) {
                SocketChannel candidate = server.accept();
                Thread t = new Thread(() -> admit(candidate), "student-jvm-hello");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            connection.completeExceptionally(e); // the server was closed: by the winner, or by close()
        }
    }

    private void admit(SocketChannel channel) {
        InputStream in = ChannelStreams.in(channel);
        Message hello;
        try {
            byte[] frame = Wire.readFrame(in, 4096);
            hello = frame == null ? null : Message.decode(frame);
        } catch (IOException e) {
            hello = null;
        }
        if (!(hello instanceof Message.Hello h) || !token.equals(h.token()) || !connection.complete(channel)) {
            closeQuietly(channel);
            return;
        }
        replies.add(hello);
        try {
            Files.deleteIfExists(path);
            server.close();
            while (true) {
                byte[] frame = Wire.readFrame(in, REPLY_LIMIT);
                if (frame == null) {
                    break;
                }
                replies.add(Message.decode(frame));
            }
        } catch (WireException e) {
            replies.add(new StudentJvmStopped(StudentJvmStopped.Reason.PROTOCOL,
                    "the student JVM sent something that is not an answer (" + e.getMessage() + ")"));
        } catch (IOException e) {
            // The channel closed: the JVM ended, or close() ended it.
        } finally {
            replies.add(END);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Already closed after the one connection.
        }
        connection.thenAccept(JudgeSocket::closeQuietly);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
