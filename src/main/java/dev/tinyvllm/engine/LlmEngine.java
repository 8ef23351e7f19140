package dev.tinyvllm.engine;

import dev.tinyvllm.engine.kernels.Kernels;
import dev.tinyvllm.engine.kernels.Parallel;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.Qwen2Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine: a {@link Scheduler} decides each step's work, the {@link ModelRunner} computes it, and
 * {@link Sampler} picks tokens. Not thread-safe: one thread adds requests and calls {@link #step()}
 * (the server funnels its requests through one such thread).
 */
public final class LlmEngine implements AutoCloseable {

    private final EngineConfig config;
    private final Qwen2Config model;
    private final Parallel parallel;
    private final ModelRunner runner;
    private final BlockManager blocks;
    private final Scheduler scheduler;
    private long nextId;
    private long steps;

    public LlmEngine(Qwen2Weights weights, EngineConfig config) {
        this.config = config;
        this.model = weights.config();
        this.parallel = new Parallel(config.threads());
        Kernels kernels = Kernels.best(parallel);
        KvCache cache = new KvCache(model.numHiddenLayers(), config.numBlocks(), config.blockSize(), model.kvDim());
        this.runner = new ModelRunner(weights, kernels, cache);
        this.blocks = new BlockManager(config.numBlocks(), config.blockSize());
        this.scheduler = new Scheduler(blocks, config.maxBatchedTokens(), config.maxSequences());
    }

    /** Loads a model folder's weights in the given format and starts an engine with a cache of {@code cacheMiB}. */
    public static LlmEngine load(Path folder, WeightFormat format, int cacheMiB) {
        Qwen2Config c = Qwen2Config.read(folder);
        try (Checkpoint ckpt = Checkpoint.open(folder)) {
            return new LlmEngine(Qwen2Weights.load(c, ckpt, format), EngineConfig.defaults(format, c, cacheMiB));
        }
    }

    public EngineConfig config() {
        return config;
    }

    public ModelRunner runner() {
        return runner;
    }

    public BlockManager blockManager() {
        return blocks;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public long steps() {
        return steps;
    }

    /** Queues a request; it starts at the next step that has room. */
    public Sequence add(int[] prompt, SamplingParams params, Sequence.Listener listener) {
        if (prompt.length >= config.maxModelLen()) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; this engine allows at most "
                    + (config.maxModelLen() - 1));
        }
        for (int t : prompt) {
            if (t < 0 || t >= model.vocabSize()) {
                throw new IllegalArgumentException("token id " + t + " is outside the vocabulary of " + model.vocabSize());
            }
        }
        int room = config.maxModelLen() - prompt.length;
        SamplingParams p = params.maxTokens() <= room ? params : new SamplingParams(params.temperature(), params.topK(),
                params.topP(), params.seed(), room, params.stopTokenIds(), params.ignoreStop(), params.keepLogits());
        Sequence seq = new Sequence(nextId++, prompt, p, listener);
        scheduler.add(seq);
        return seq;
    }

    public boolean hasUnfinished() {
        return !scheduler.isIdle();
    }

    /** Runs one step; returns the sequences that finished in it. */
    public List<Sequence> step() {
        List<Scheduler.Work> work = scheduler.schedule();
        List<Sequence> finished = new ArrayList<>();
        if (work.isEmpty()) {
            return finished;
        }
        steps++;
        List<ModelRunner.Segment> segments = new ArrayList<>(work.size());
        for (Scheduler.Work w : work) {
            Sequence s = w.seq();
            int start = s.numComputed();
            boolean last = start + w.count() == s.length();
            segments.add(new ModelRunner.Segment(s.tokens(start, start + w.count()), start, s.blockTableArray(), last));
        }
        float[][] logits = runner.forward(segments);
        for (int i = 0; i < work.size(); i++) {
            Sequence s = work.get(i).seq();
            s.setComputed(s.numComputed() + work.get(i).count());
            blocks.registerFullBlocks(s);
            if (logits[i] == null) {
                continue;
            }
            int token = Sampler.sample(logits[i], s.params(), s.length());
            s.append(token, logits[i]);
            SamplingParams p = s.params();
            if (!p.ignoreStop() && p.stopTokenIds().contains(token)) {
                s.finish(Sequence.FinishReason.STOP);
            } else if (s.length() - s.promptLength() >= p.maxTokens()) {
                s.finish(Sequence.FinishReason.LENGTH);
            }
            if (s.status() == Sequence.Status.FINISHED) {
                scheduler.finished(s);
                finished.add(s);
            }
        }
        return finished;
    }

    /** Stops a request that has not finished; its blocks return to the cache. */
    public void abort(Sequence seq) {
        if (seq.status() != Sequence.Status.FINISHED && scheduler.abort(seq)) {
            seq.finish(Sequence.FinishReason.ABORTED);
        }
    }

    /** Runs requests to completion (a convenience for tests, the bench and the CLI). */
    public List<Sequence> generate(List<int[]> prompts, SamplingParams params) {
        List<Sequence> seqs = new ArrayList<>();
        for (int[] p : prompts) {
            seqs.add(add(p, params, null));
        }
        while (hasUnfinished()) {
            step();
        }
        return seqs;
    }

    @Override
    public void close() {
        for (Sequence s : scheduler.drain()) {
            if (s.status() != Sequence.Status.FINISHED) {
                s.finish(Sequence.FinishReason.ABORTED);
            }
        }
        parallel.close();
    }
}
