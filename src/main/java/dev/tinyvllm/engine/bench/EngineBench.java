package dev.tinyvllm.engine.bench;

import dev.tinyvllm.engine.EngineConfig;
import dev.tinyvllm.engine.LlmEngine;
import dev.tinyvllm.engine.Qwen2Weights;
import dev.tinyvllm.engine.SamplingParams;
import dev.tinyvllm.engine.Sequence;
import dev.tinyvllm.engine.WeightFormat;
import dev.tinyvllm.engine.kernels.Kernels;
import dev.tinyvllm.engine.kernels.Parallel;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.Qwen2Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The engine benchmark: in one process, on one model, it measures the engine's batch-1 prefill and decode,
 * decode with many concurrent requests, the time to first token with and without a prefix-cache hit, the
 * same model's prefill and decode on a {@link Baseline} (libtorch, from the command), and the machine's
 * read bandwidth, which with the bytes of weights a decode step reads gives the batch-1 speed limit.
 */
public final class EngineBench {

    /**
     * What to measure.
     *
     * @param baseline timed on the same model after the engine; null for none
     */
    public record Options(WeightFormat format, int promptTokens, int decodeTokens, int batch, int batchPromptTokens,
            int prefixTokens, Baseline baseline, boolean compareFormats, long seed) {}

    /** Batch-1 decode of each weight format, measured in alternating rounds in this one process. */
    public record Formats(int rounds, double f32TokS, double bf16TokS, double q8TokS) {
        public double bf16VsF32() {
            return bf16TokS / f32TokS;
        }

        public double q8VsF32() {
            return q8TokS / f32TokS;
        }
    }

    public record Batch1(int promptTokens, double prefillTokS, int decodeTokens, double decodeTokS) {}

    public record BatchN(int requests, int promptTokens, int decodeTokensEach, double decodeTokS, double speedupVsBatch1) {}

    /** A baseline's figures, measured under the engine's rules; {@code name} and {@code precision} are its own. */
    public record BaselineRun(String name, String precision, double prefillTokS, double decodeTokS,
            double engineDecodeSpeedup) {}

    public record PrefixCache(int systemPromptTokens, int userTokens, double firstTtftMs, double cachedTtftMs,
            int cachedTokens, double speedup) {}

    /** Everything measured; JSON field names follow the issue ({@code batch1.decode_tok_s} ...). */
    public record Report(String model, String dtype, String kernels, int threads, String java, long weightBytesPerToken,
            double readBandwidthGbS, double bandwidthLimitTokS, double bandwidthFraction, Batch1 batch1, BatchN batchN,
            BaselineRun baseline, PrefixCache prefixCache, Formats formats) {}

    private static final int TRIALS = 3;

    private EngineBench() {}

    public static Report run(Path folder, String modelName, Options o, Consumer<String> progress) {
        Qwen2Config c = Qwen2Config.read(folder);
        SplittableRandom random = new SplittableRandom(o.seed());
        Parallel probeThreads = Parallel.perProcessor();
        Kernels probeKernels = Kernels.best(probeThreads);
        progress.accept("measuring read bandwidth");
        ReadBandwidth bandwidth = new ReadBandwidth(probeKernels, 1L << 30);
        bandwidth.measure(5);
        Qwen2Weights weights;
        progress.accept("loading " + modelName + " as " + o.format());
        try (Checkpoint ckpt = Checkpoint.open(folder)) {
            weights = Qwen2Weights.load(c, ckpt, o.format());
        }
        long bytesPerToken = weights.bytesPerDecodedToken();
        int longest = Math.max(o.promptTokens() + o.decodeTokens(), o.prefixTokens() + 64);
        int blockSize = 16;
        int maxTokens = Math.max(longest, o.batch() * (o.batchPromptTokens() + o.decodeTokens() + blockSize)) * 2 + 256;
        EngineConfig config = new EngineConfig(o.format(), blockSize, (maxTokens + blockSize - 1) / blockSize, 256,
                Math.max(64, o.batch()), Math.min(c.maxPositionEmbeddings(), maxTokens), Runtime.getRuntime().availableProcessors());
        Batch1 b1;
        BatchN bn;
        PrefixCache prefix;
        try (LlmEngine engine = new LlmEngine(weights, config)) {
            progress.accept("warming up");
            engine.generate(List.of(tokens(random, c, 48)), params(12));
            engine.generate(List.of(tokens(random, c, 8), tokens(random, c, 8), tokens(random, c, 8), tokens(random, c, 8)), params(6));

            // Each figure is the best of a few trials: the same rule as the bandwidth probe, and robust to
            // other processes taking the cores for a moment.
            b1 = null;
            for (int trial = 1; trial <= TRIALS; trial++) {
                progress.accept("batch 1: " + o.promptTokens() + " prompt tokens, " + o.decodeTokens() + " decoded (trial "
                        + trial + " of " + TRIALS + ")");
                Batch1 t = batch1(engine, tokens(random, c, o.promptTokens()), o.decodeTokens());
                bandwidth.measure(2);
                b1 = b1 == null ? t : new Batch1(t.promptTokens(), Math.max(t.prefillTokS(), b1.prefillTokS()),
                        t.decodeTokens(), Math.max(t.decodeTokS(), b1.decodeTokS()));
            }
            bn = null;
            for (int trial = 1; trial <= 2; trial++) {
                progress.accept("batch " + o.batch() + ": " + o.batch() + " requests decoding together (trial " + trial + " of 2)");
                BatchN t = batchN(engine, random, c, o, b1.decodeTokS());
                bn = bn == null || t.decodeTokS() > bn.decodeTokS() ? t : bn;
            }

            progress.accept("prefix cache: " + o.prefixTokens() + "-token system prompt, twice");
            prefix = prefixCache(engine, random, c, o.prefixTokens());
        } finally {
            probeThreads.close();
        }
        weights = null;
        BaselineRun baseline = null;
        if (o.baseline() != null) {
            progress.accept(o.baseline().name() + ": loading the same model as " + o.baseline().precision());
            baseline = baseline(o.baseline(), folder, tokens(random, c, o.promptTokens()), o.decodeTokens(), b1.decodeTokS(),
                    random, c);
        }
        double limit = bandwidth.best() / bytesPerToken;
        Formats formats = null;
        if (o.compareFormats()) {
            formats = compareFormats(folder, c, random, o.decodeTokens(), progress);
        }
        return new Report(modelName, o.format().toString(), probeKernels.name(), probeThreads.threads(),
                System.getProperty("java.version"), bytesPerToken, bandwidth.best() / 1e9, limit, b1.decodeTokS() / limit,
                b1, bn, baseline, prefix, formats);
    }

    private static SamplingParams params(int maxTokens) {
        return SamplingParams.greedy(maxTokens, Set.of()).withIgnoreStop();
    }

    private static int[] tokens(SplittableRandom r, Qwen2Config c, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(c.vocabSize());
        }
        return t;
    }

    /**
     * Decode speed is taken from the median step time: a step that other processes interrupted counts as
     * one slow step, not as slower decoding. The same rule is used for the baseline.
     */
    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Batch1 batch1(LlmEngine engine, int[] prompt, int decode) {
        Sequence seq = engine.add(prompt, params(decode + 1), null);
        long start = System.nanoTime();
        while (seq.output().length == 0) {
            engine.step();
        }
        long prefilled = System.nanoTime();
        List<Double> steps = new ArrayList<>();
        while (seq.status() != Sequence.Status.FINISHED) {
            long t = System.nanoTime();
            engine.step();
            steps.add((System.nanoTime() - t) / 1e9);
        }
        return new Batch1(prompt.length, prompt.length / ((prefilled - start) / 1e9), decode, 1 / median(steps));
    }

    private static BatchN batchN(LlmEngine engine, SplittableRandom r, Qwen2Config c, Options o, double batch1TokS) {
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < o.batch(); i++) {
            seqs.add(engine.add(tokens(r, c, o.batchPromptTokens()), params(o.decodeTokens() + 1), null));
        }
        while (seqs.stream().anyMatch(s -> s.output().length == 0)) {
            engine.step();
        }
        List<Double> rates = new ArrayList<>();
        while (engine.hasUnfinished()) {
            int before = seqs.stream().mapToInt(s -> s.output().length).sum();
            long t = System.nanoTime();
            engine.step();
            double seconds = (System.nanoTime() - t) / 1e9;
            rates.add((seqs.stream().mapToInt(s -> s.output().length).sum() - before) / seconds);
        }
        double tokS = median(rates);
        return new BatchN(o.batch(), o.batchPromptTokens(), o.decodeTokens(), tokS, tokS / batch1TokS);
    }

    private static PrefixCache prefixCache(LlmEngine engine, SplittableRandom r, Qwen2Config c, int systemTokens) {
        int[] system = tokens(r, c, systemTokens);
        int userTokens = 8;
        double[] ttft = new double[2];
        int cached = 0;
        for (int i = 0; i < 2; i++) {
            int[] prompt = java.util.Arrays.copyOf(system, systemTokens + userTokens);
            System.arraycopy(tokens(r, c, userTokens), 0, prompt, systemTokens, userTokens);
            Sequence seq = engine.add(prompt, params(1), null);
            long start = System.nanoTime();
            while (seq.output().length == 0) {
                engine.step();
            }
            ttft[i] = (System.nanoTime() - start) / 1e6;
            cached = seq.cachedPromptTokens();
            while (engine.hasUnfinished()) {
                engine.step();
            }
        }
        return new PrefixCache(systemTokens, userTokens, ttft[0], ttft[1], cached, ttft[0] / ttft[1]);
    }

    /**
     * The three formats side by side: one engine each, then rounds in which each decodes in turn, so a
     * busy moment of the machine hits all three alike. Each format's figure is its best round (median step).
     */
    private static Formats compareFormats(Path folder, Qwen2Config c, SplittableRandom r, int decode,
            Consumer<String> progress) {
        int rounds = 4;
        List<LlmEngine> engines = new ArrayList<>();
        double[] best = new double[WeightFormat.values().length];
        try {
            try (Checkpoint ckpt = Checkpoint.open(folder)) {
                for (WeightFormat f : WeightFormat.values()) {
                    progress.accept("formats: loading " + f);
                    engines.add(new LlmEngine(Qwen2Weights.load(c, ckpt, f), EngineConfig.defaults(f, c, 64)));
                }
            }
            int[] prompt = tokens(r, c, 16);
            for (LlmEngine e : engines) {
                e.generate(List.of(prompt), params(4));
            }
            for (int round = 1; round <= rounds; round++) {
                progress.accept("formats: round " + round + " of " + rounds);
                for (int i = 0; i < engines.size(); i++) {
                    best[i] = Math.max(best[i], batch1(engines.get(i), prompt, decode).decodeTokS());
                }
            }
        } finally {
            engines.forEach(LlmEngine::close);
        }
        return new Formats(rounds, best[WeightFormat.F32.ordinal()], best[WeightFormat.BF16.ordinal()],
                best[WeightFormat.Q8.ordinal()]);
    }

    private static BaselineRun baseline(Baseline baseline, Path folder, int[] prompt, int decode, double engineDecode,
            SplittableRandom r, Qwen2Config c) {
        try (Baseline.Model model = baseline.load(folder)) {
            try (Baseline.Session warm = model.newSession()) {
                float[] l = warm.next(tokens(r, c, 16));
                for (int i = 0; i < 4; i++) {
                    l = warm.next(new int[] {argmax(l)});
                }
            }
            double prefillTokS = 0;
            double decodeTokS = 0;
            for (int trial = 0; trial < 2; trial++) {
                try (Baseline.Session s = model.newSession()) {
                    long start = System.nanoTime();
                    float[] logits = s.next(prompt);
                    long prefilled = System.nanoTime();
                    List<Double> steps = new ArrayList<>();
                    for (int i = 0; i < decode; i++) {
                        long t = System.nanoTime();
                        logits = s.next(new int[] {argmax(logits)});
                        steps.add((System.nanoTime() - t) / 1e9);
                    }
                    prefillTokS = Math.max(prefillTokS, prompt.length / ((prefilled - start) / 1e9));
                    decodeTokS = Math.max(decodeTokS, 1 / median(steps));
                }
            }
            return new BaselineRun(baseline.name(), baseline.precision(), prefillTokS, decodeTokS, engineDecode / decodeTokS);
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
