package dev.tinyvllm.tutor.guard;

import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Streams a model's answer to the student one sentence at a time, each released only once the text
 * up to its end passes the guard. Text inside an open code fence or an open backtick span, or a
 * sentence that ends in a colon (the usual announcement of a code block), waits for what follows.
 * When the guard objects, nothing more is released and the caller stops the model.
 */
public final class GuardedStream {

    private final Guard guard;
    private final Set<String> studentOwn;
    private final Consumer<String> sink;
    private final String shownBefore;
    private final StringBuilder released = new StringBuilder();
    private final StringBuilder pending = new StringBuilder();
    private Guard.Violation violation;

    /**
     * @param shownBefore what the student already saw of this answer (an earlier attempt's released
     *     sentences), judged together with the new text
     */
    public GuardedStream(Guard guard, Set<String> studentOwn, Consumer<String> sink, String shownBefore) {
        this.guard = guard;
        this.studentOwn = studentOwn;
        this.sink = sink;
        this.shownBefore = shownBefore;
    }

    /** Takes the next piece of the answer; returns the guard's objection once there is one. */
    public synchronized Optional<Guard.Violation> accept(String chunk) {
        if (violation != null) {
            return Optional.of(violation);
        }
        pending.append(chunk);
        int end = releasableEnd();
        if (end > 0) {
            release(end);
        }
        return Optional.ofNullable(violation);
    }

    /** The answer is complete: releases the rest if it passes (the question is judged by the caller). */
    public synchronized Optional<Guard.Violation> finish() {
        if (violation == null && pending.length() > 0) {
            release(pending.length());
        }
        return Optional.ofNullable(violation);
    }

    /** Everything the model wrote in this attempt, released or not. */
    public synchronized String written() {
        return released.toString() + pending;
    }

    public synchronized String released() {
        return released.toString();
    }

    private void release(int end) {
        String candidate = pending.substring(0, end);
        Optional<Guard.Violation> v = guard.checkContent(shownBefore + released + candidate, studentOwn);
        if (v.isPresent()) {
            violation = v.get();
            return;
        }
        sink.accept(candidate);
        released.append(candidate);
        pending.delete(0, end);
    }

    /** The end of the last complete sentence of the pending text that may go out now, or 0. */
    private int releasableEnd() {
        String all = released.toString() + pending;
        if (count(all, "```") % 2 == 1) {
            return 0;
        }
        int best = 0;
        int backticks = count(released.toString(), "`");
        for (int i = 0; i < pending.length(); i++) {
            char c = pending.charAt(i);
            if (c == '`') {
                backticks++;
            }
            boolean boundary = c == '\n' || ((c == '.' || c == '?' || c == '!')
                    && i + 1 < pending.length() && Character.isWhitespace(pending.charAt(i + 1)));
            if (boundary && backticks % 2 == 0 && !announcesCode(i)) {
                best = i + 1;
            }
        }
        return best;
    }

    /** A line that ends with a colon usually announces a block: hold it until the next line is judged too. */
    private boolean announcesCode(int newlineAt) {
        int j = newlineAt - 1;
        while (j >= 0 && pending.charAt(j) == ' ') {
            j--;
        }
        return pending.charAt(newlineAt) == '\n' && j >= 0 && pending.charAt(j) == ':';
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
