package dev.tinyvllm.check.judge;

import dev.tinyvllm.host.wire.Message;
import java.nio.file.Path;

/**
 * The judge's line to a student JVM (or, in tests, to a host in the test's own JVM): one request at a
 * time, each answered before the current check's deadline or not at all.
 */
public interface StudentLink extends AutoCloseable {

    /**
     * Sends a request and waits for its answer.
     *
     * @throws StudentJvmStopped when the student JVM timed out, used too much memory, ended, crashed or
     *     answered with something that is not an answer; it is gone afterwards
     */
    Message exchange(Message request);

    /** Until when (System.nanoTime) the current check may wait for answers. */
    void deadline(long nanos);

    /** A folder the judge writes a check's inputs into and the student's code may read. */
    Path inputs();

    /** What reached the student JVM's stdout and stderr outside System.out since the last call, cleaned; or null. */
    String console();

    /** Ends the student JVM and every process it started. */
    @Override
    void close();
}
