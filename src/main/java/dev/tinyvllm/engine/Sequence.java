package dev.tinyvllm.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request as the engine tracks it: its tokens (prompt, then generated), how many of them have their
 * keys and values in the cache, and its block table.
 */
public final class Sequence {

    public enum Status { WAITING, RUNNING, FINISHED }

    public enum FinishReason { STOP, LENGTH, ABORTED, ERROR }

    /** Receives each generated token as soon as it is sampled, and the end. */
    public interface Listener {
        void onToken(Sequence seq, int token);

        default void onFinish(Sequence seq) {}
    }

    private final long id;
    private final int promptLength;
    private final SamplingParams params;
    private final Listener listener;
    private int[] tokens;
    private int length;
    private int computed;
    private final List<Integer> blockTable = new ArrayList<>();
    private final List<float[]> logits = new ArrayList<>();
    /** Full blocks whose hash this sequence has registered (prefix caching). */
    int hashedBlocks;
    long lastHash;
    Status status = Status.WAITING;
    FinishReason finishReason;
    String error;
    int preemptions;
    int cachedPromptTokens;

    Sequence(long id, int[] prompt, SamplingParams params, Listener listener) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        this.id = id;
        this.promptLength = prompt.length;
        this.params = params;
        this.listener = listener;
        this.tokens = Arrays.copyOf(prompt, prompt.length + Math.min(params.maxTokens(), 4096));
        this.length = prompt.length;
    }

    public long id() {
        return id;
    }

    public int length() {
        return length;
    }

    public int promptLength() {
        return promptLength;
    }

    public int token(int i) {
        return tokens[i];
    }

    public int[] tokens(int from, int to) {
        return Arrays.copyOfRange(tokens, from, to);
    }

    /** The generated tokens so far. */
    public int[] output() {
        return Arrays.copyOfRange(tokens, promptLength, length);
    }

    public int numComputed() {
        return computed;
    }

    void setComputed(int n) {
        computed = n;
    }

    /** Tokens whose keys and values still have to be computed. */
    int uncomputed() {
        return length - computed;
    }

    List<Integer> blockTable() {
        return blockTable;
    }

    public int[] blockTableArray() {
        return blockTable.stream().mapToInt(Integer::intValue).toArray();
    }

    public SamplingParams params() {
        return params;
    }

    public Status status() {
        return status;
    }

    public FinishReason finishReason() {
        return finishReason;
    }

    /** Why the sequence ended with {@link FinishReason#ERROR}. */
    public String error() {
        return error;
    }

    /** Times this sequence lost its blocks and was recomputed. */
    public int preemptions() {
        return preemptions;
    }

    /** Prompt tokens found in the prefix cache when the sequence was (last) admitted. */
    public int cachedPromptTokens() {
        return cachedPromptTokens;
    }

    /** Logits of each generated position, when {@link SamplingParams#keepLogits()} is set. */
    public List<float[]> logits() {
        return logits;
    }

    void append(int token, float[] stepLogits) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[length++] = token;
        if (params.keepLogits()) {
            logits.add(stepLogits);
        }
        if (listener != null) {
            listener.onToken(this, token);
        }
    }

    void finish(FinishReason reason) {
        status = Status.FINISHED;
        finishReason = reason;
        if (listener != null) {
            listener.onFinish(this);
        }
    }
}
