package dev.tinyvllm.testing;

import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.judge.StudentLink;
import dev.tinyvllm.host.Host;
import dev.tinyvllm.host.wire.Message;
import dev.tinyvllm.host.wire.WireException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A student-side host in the test's own JVM, for tests that grade many variants and cannot afford a
 * student JVM each: every request and answer still goes through the wire's encoding, so the judge and
 * the host work exactly as across processes. There is no sandbox, no clock and no memory limit here;
 * the tests that need those go through a real student JVM.
 */
public final class InProcessLink implements StudentLink {

    private final NDManager base = NDManager.newBaseManager();
    private final Host host;
    private final Path inputs;

    public InProcessLink(Path classes, Path inputs) {
        this.host = new Host(InProcessLink.class.getClassLoader(), base, false);
        this.inputs = inputs;
        try {
            Files.createDirectories(inputs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange(new Message.Load(List.of(classes.toString())));
    }

    @Override
    public Message exchange(Message request) {
        try {
            return Message.decode(host.handle(Message.decode(request.encode())).encode());
        } catch (WireException e) {
            throw new AssertionError("a message that does not survive the wire: " + request, e);
        }
    }

    @Override
    public void deadline(long nanos) {}

    @Override
    public Path inputs() {
        return inputs;
    }

    @Override
    public String console() {
        return null;
    }

    @Override
    public void close() {
        base.close();
    }
}
