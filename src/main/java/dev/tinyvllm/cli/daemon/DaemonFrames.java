package dev.tinyvllm.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the client and the check daemon say to each other: a request (run these command-line
 * arguments from this folder, stop, or say who you are) and the command's answer (its exit code and
 * what it printed). Plain data streams, so the client loads nothing but the JDK.
 */
final class DaemonFrames {

    static final int VERSION = 1;
    static final int RUN = 1;
    static final int STOP = 2;
    static final int STATUS = 3;
    private static final int MAX_STRING = 64 << 20;

    private DaemonFrames() {}

    /** A request: its kind, and for RUN the arguments and whether the client's terminal takes colour. */
    record Request(int kind, List<String> args, boolean color) {}

    /** The answer: the exit code and the two streams' text. */
    record Answer(int exit, String out, String err) {}

    static void write(DataOutputStream out, Request r) throws IOException {
        out.writeInt(VERSION);
        out.writeInt(r.kind());
        out.writeInt(r.args().size());
        for (String a : r.args()) {
            string(out, a);
        }
        out.writeBoolean(r.color());
        out.flush();
    }

    static Request readRequest(DataInputStream in) throws IOException {
        if (in.readInt() != VERSION) {
            throw new IOException("a client of another version");
        }
        int kind = in.readInt();
        int n = in.readInt();
        if (n < 0 || n > 1000) {
            throw new IOException("a request with " + n + " arguments");
        }
        List<String> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            args.add(string(in));
        }
        return new Request(kind, args, in.readBoolean());
    }

    static void write(DataOutputStream out, Answer a) throws IOException {
        out.writeInt(a.exit());
        string(out, a.out());
        string(out, a.err());
        out.flush();
    }

    static Answer readAnswer(DataInputStream in) throws IOException {
        return new Answer(in.readInt(), string(in), string(in));
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING) {
            throw new IOException("a text of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
