package dev.tinyvllm.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Continuous batching: every step, running sequences get their next decode token first, then prefills
 * (new or half-done) fill the rest of the step's token budget, cut into chunks where needed. When the
 * cache has no block for a running sequence, the newest running sequence is preempted: its blocks are
 * freed and it goes back to the front of the queue, to be recomputed later (its full prompt blocks are
 * likely still in the prefix cache then).
 */
public final class Scheduler {

    /** {@code count} tokens of {@code seq}, starting at its first uncomputed one. */
    public record Work(Sequence seq, int count) {}

    private final BlockManager blocks;
    private final int maxBatchedTokens;
    private final int maxSequences;
    private final Deque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private long preemptions;

    public Scheduler(BlockManager blocks, int maxBatchedTokens, int maxSequences) {
        if (maxBatchedTokens < 1 || maxSequences < 1) {
            throw new IllegalArgumentException("the token budget and the sequence limit must be positive");
        }
        this.blocks = blocks;
        this.maxBatchedTokens = maxBatchedTokens;
        this.maxSequences = maxSequences;
    }

    public void add(Sequence seq) {
        waiting.addLast(seq);
    }

    public boolean isIdle() {
        return waiting.isEmpty() && running.isEmpty();
    }

    public long preemptions() {
        return preemptions;
    }

    /** The next step's work; may be empty when nothing can run. */
    public List<Work> schedule() {
        List<Work> work = new ArrayList<>();
        List<Sequence> scheduled = new ArrayList<>();
        int budget = maxBatchedTokens;
        // Decodes first (one token each), then running prefills, oldest first.
        for (boolean decodes : new boolean[] {true, false}) {
            for (Sequence seq : new ArrayList<>(running)) {
                if (budget == 0) {
                    break;
                }
                if (seq.status != Sequence.Status.RUNNING || scheduled.contains(seq) || (seq.uncomputed() == 1) != decodes) {
                    continue;
                }
                int n = Math.min(seq.uncomputed(), budget);
                while (!blocks.canGrow(seq, seq.numComputed() + n)) {
                    Sequence victim = newestUnscheduled(scheduled);
                    preempt(victim);
                    if (victim == seq) {
                        break;
                    }
                }
                if (seq.status != Sequence.Status.RUNNING) {
                    continue;
                }
                blocks.grow(seq, seq.numComputed() + n);
                work.add(new Work(seq, n));
                scheduled.add(seq);
                budget -= n;
            }
        }
        // Admit waiting sequences while the budget, the sequence limit and the free blocks allow.
        while (budget > 0 && !waiting.isEmpty() && running.size() < maxSequences) {
            Sequence seq = waiting.peekFirst();
            blocks.attachPrefix(seq);
            int n = Math.min(seq.uncomputed(), budget);
            if (!blocks.canGrow(seq, seq.numComputed() + n)) {
                blocks.release(seq);
                if (running.isEmpty() && blocks.blocksFor(seq.length() + 1) > blocks.numBlocks()) {
                    waiting.pollFirst();
                    seq.error = "the request needs " + blocks.blocksFor(seq.length() + 1)
                            + " KV blocks but the cache has only " + blocks.numBlocks();
                    seq.finish(Sequence.FinishReason.ERROR);
                    continue;
                }
                break;
            }
            waiting.pollFirst();
            blocks.grow(seq, seq.numComputed() + n);
            seq.status = Sequence.Status.RUNNING;
            running.add(seq);
            work.add(new Work(seq, n));
            scheduled.add(seq);
            budget -= n;
        }
        return work;
    }

    private Sequence newestUnscheduled(List<Sequence> scheduled) {
        for (int i = running.size() - 1; i >= 0; i--) {
            if (!scheduled.contains(running.get(i))) {
                return running.get(i);
            }
        }
        throw new IllegalStateException("no sequence left to preempt");
    }

    private void preempt(Sequence seq) {
        running.remove(seq);
        blocks.release(seq);
        seq.status = Sequence.Status.WAITING;
        seq.preemptions++;
        preemptions++;
        waiting.addFirst(seq);
    }

    /** After a step: removes a finished sequence and frees its blocks. */
    public void finished(Sequence seq) {
        running.remove(seq);
        blocks.release(seq);
    }

    /** Takes a sequence out wherever it is (its client went away) and frees its blocks. */
    public boolean abort(Sequence seq) {
        if (waiting.remove(seq)) {
            return true;
        }
        if (running.remove(seq)) {
            blocks.release(seq);
            return true;
        }
        return false;
    }

    /** Ends every sequence (engine shutdown or failure). */
    public List<Sequence> drain() {
        List<Sequence> all = new ArrayList<>(running);
        all.addAll(waiting);
        for (Sequence s : running) {
            blocks.release(s);
        }
        running.clear();
        waiting.clear();
        return all;
    }
}
