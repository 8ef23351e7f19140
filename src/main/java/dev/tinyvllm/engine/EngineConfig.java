package dev.tinyvllm.engine;

/**
 * Engine settings.
 *
 * @param format how matrix weights are stored
 * @param blockSize tokens per KV cache block
 * @param numBlocks blocks in the KV cache
 * @param maxBatchedTokens token budget of one step (decode tokens plus prefill chunks)
 * @param maxSequences most sequences running at once
 * @param maxModelLen longest sequence (prompt plus output) a request may reach
 * @param threads kernel threads
 */
public record EngineConfig(WeightFormat format, int blockSize, int numBlocks, int maxBatchedTokens, int maxSequences,
        int maxModelLen, int threads) {

    public EngineConfig {
        if (blockSize < 1 || numBlocks < 1 || maxBatchedTokens < 1 || maxSequences < 1 || maxModelLen < 2 || threads < 1) {
            throw new IllegalArgumentException("engine settings must be positive: " + this);
        }
        if ((long) numBlocks * blockSize < maxModelLen) {
            throw new IllegalArgumentException("the KV cache (" + numBlocks + " blocks of " + blockSize
                    + " tokens) cannot hold one sequence of max_model_len " + maxModelLen);
        }
    }

    /** Defaults for a model: 16-token blocks, a cache of {@code cacheMiB} MiB, a 256-token step budget. */
    public static EngineConfig defaults(WeightFormat format, dev.tinyvllm.model.Qwen2Config c, int cacheMiB) {
        int blockSize = 16;
        long perBlock = KvCache.bytesPerToken(c.numHiddenLayers(), c.kvDim()) * blockSize;
        int numBlocks = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, (cacheMiB * (1L << 20)) / perBlock));
        int maxLen = Math.min(c.maxPositionEmbeddings(), numBlocks * blockSize);
        return new EngineConfig(format, blockSize, numBlocks, 256, 64, maxLen,
                Runtime.getRuntime().availableProcessors());
    }
}
