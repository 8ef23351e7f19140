package dev.tinyvllm.engine;

/**
 * The paged key/value store: per layer, {@code numBlocks × blockSize} slots, each holding the keys (or
 * values) of all key/value heads of one token. A sequence owns a list of blocks (its block table); the
 * token at position {@code p} lives in slot {@code table[p / blockSize] * blockSize + p % blockSize}.
 */
public final class KvCache {

    private final int numBlocks;
    private final int blockSize;
    private final int kvDim;
    private final float[][] keys;
    private final float[][] values;

    public KvCache(int layers, int numBlocks, int blockSize, int kvDim) {
        long perLayer = (long) numBlocks * blockSize * kvDim;
        if (perLayer > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("KV cache of " + numBlocks + " blocks is too large for one layer array");
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.kvDim = kvDim;
        this.keys = new float[layers][(int) perLayer];
        this.values = new float[layers][(int) perLayer];
    }

    /** Bytes one token takes in the cache, all layers, keys and values. */
    public static long bytesPerToken(int layers, int kvDim) {
        return 2L * 4 * layers * kvDim;
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    public int kvDim() {
        return kvDim;
    }

    public float[] keys(int layer) {
        return keys[layer];
    }

    public float[] values(int layer) {
        return values[layer];
    }
}
