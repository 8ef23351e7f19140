package dev.tinyvllm.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Hands out the KV cache's fixed-size blocks and shares full blocks between sequences by content.
 *
 * <p>A full block is identified by a hash chained over every token before it and its own tokens, so two
 * sequences share a block only if they agree on the whole prefix (the tokens are compared too, so a hash
 * collision cannot mix sequences). A block is registered only after its keys and values were computed.
 * Freed blocks keep their content and hash: a later request with the same prefix revives them, until the
 * block is handed out again; free blocks are reused oldest first, so recent prefixes live longest.
 */
public final class BlockManager {

    private final int blockSize;
    private final int[] refCount;
    private final long[] hash;
    private final int[][] blockTokens;
    private final LinkedHashSet<Integer> free = new LinkedHashSet<>();
    private final Map<Long, Integer> byHash = new HashMap<>();

    public BlockManager(int numBlocks, int blockSize) {
        if (numBlocks < 1 || blockSize < 1) {
            throw new IllegalArgumentException("need at least one block of at least one token");
        }
        this.blockSize = blockSize;
        this.refCount = new int[numBlocks];
        this.hash = new long[numBlocks];
        this.blockTokens = new int[numBlocks][];
        for (int i = 0; i < numBlocks; i++) {
            free.add(i);
        }
    }

    public int blockSize() {
        return blockSize;
    }

    public int numBlocks() {
        return refCount.length;
    }

    public int freeBlocks() {
        return free.size();
    }

    /** Blocks needed to hold {@code tokens} tokens. */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    /**
     * Attaches the cached blocks that match the start of a new sequence's tokens and marks their tokens as
     * computed. The last token is never taken from the cache: its logits are needed.
     */
    public void attachPrefix(Sequence seq) {
        if (!seq.blockTable().isEmpty()) {
            throw new IllegalStateException("sequence " + seq.id() + " already holds blocks");
        }
        int full = (seq.length() - 1) / blockSize;
        long h = 0;
        int matched = 0;
        for (int b = 0; b < full; b++) {
            int[] toks = seq.tokens(b * blockSize, (b + 1) * blockSize);
            h = chain(h, toks);
            Integer id = byHash.get(h);
            if (id == null || !Arrays.equals(blockTokens[id], toks)) {
                break;
            }
            if (refCount[id]++ == 0) {
                free.remove(id);
            }
            seq.blockTable().add(id);
            matched++;
            seq.lastHash = h;
        }
        seq.hashedBlocks = matched;
        seq.setComputed(matched * blockSize);
        seq.cachedPromptTokens = matched * blockSize;
    }

    /** Whether the sequence can grow to hold {@code tokens} tokens with the free blocks left. */
    public boolean canGrow(Sequence seq, int tokens) {
        return blocksFor(tokens) - seq.blockTable().size() <= free.size();
    }

    /** Adds blocks until the sequence can hold {@code tokens} tokens; call {@link #canGrow} first. */
    public void grow(Sequence seq, int tokens) {
        while (seq.blockTable().size() * blockSize < tokens) {
            if (free.isEmpty()) {
                throw new IllegalStateException("no free KV blocks");
            }
            int id = free.iterator().next();
            free.remove(id);
            if (blockTokens[id] != null) {
                byHash.remove(hash[id], id);
                blockTokens[id] = null;
            }
            refCount[id] = 1;
            seq.blockTable().add(id);
        }
    }

    /** Registers the blocks the sequence has completely computed, so later requests can share them. */
    public void registerFullBlocks(Sequence seq) {
        int full = seq.numComputed() / blockSize;
        List<Integer> table = seq.blockTable();
        while (seq.hashedBlocks < full) {
            int b = seq.hashedBlocks;
            int[] toks = seq.tokens(b * blockSize, (b + 1) * blockSize);
            long h = chain(seq.lastHash, toks);
            int id = table.get(b);
            if (blockTokens[id] == null && !byHash.containsKey(h)) {
                hash[id] = h;
                blockTokens[id] = toks;
                byHash.put(h, id);
            }
            seq.lastHash = h;
            seq.hashedBlocks++;
        }
    }

    /** Returns a sequence's blocks; shared blocks stay with their other users. */
    public void release(Sequence seq) {
        List<Integer> table = seq.blockTable();
        for (int i = table.size() - 1; i >= 0; i--) {
            int id = table.get(i);
            if (--refCount[id] == 0) {
                free.add(id);
            } else if (refCount[id] < 0) {
                throw new IllegalStateException("block " + id + " released twice");
            }
        }
        table.clear();
        seq.hashedBlocks = 0;
        seq.lastHash = 0;
        seq.setComputed(0);
    }

    /** Blocks some sequence still holds (0 once every request has ended). */
    public int blocksInUse() {
        int n = 0;
        for (int r : refCount) {
            n += r > 0 ? 1 : 0;
        }
        return n;
    }

    private static long chain(long previous, int[] tokens) {
        long h = previous * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (int t : tokens) {
            h = (h ^ t) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 32;
        }
        return h;
    }
}
