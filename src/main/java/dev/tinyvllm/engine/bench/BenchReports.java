package dev.tinyvllm.engine.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** The bench report as JSON (stable field names) or as text for people. */
public final class BenchReports {

    private BenchReports() {}

    public static String json(EngineBench.Report r) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("schema", 1);
        o.put("model", r.model());
        o.put("dtype", r.dtype());
        o.put("kernels", r.kernels());
        o.put("threads", r.threads());
        o.put("java", r.java());
        o.put("weight_bytes_per_token", r.weightBytesPerToken());
        o.put("read_bandwidth_gb_s", round(r.readBandwidthGbS()));
        o.put("bandwidth_limit_tok_s", round(r.bandwidthLimitTokS()));
        o.put("bandwidth_fraction", round(r.bandwidthFraction()));
        ObjectNode b1 = o.putObject("batch1");
        b1.put("prompt_tokens", r.batch1().promptTokens());
        b1.put("prefill_tok_s", round(r.batch1().prefillTokS()));
        b1.put("decode_tokens", r.batch1().decodeTokens());
        b1.put("decode_tok_s", round(r.batch1().decodeTokS()));
        EngineBench.BatchN bn = r.batchN();
        ObjectNode b = o.putObject("batch" + bn.requests());
        b.put("requests", bn.requests());
        b.put("prompt_tokens", bn.promptTokens());
        b.put("decode_tokens_each", bn.decodeTokensEach());
        b.put("decode_tok_s", round(bn.decodeTokS()));
        b.put("speedup_vs_batch1", round(bn.speedupVsBatch1()));
        // Under the baseline's own name ("libtorch"), as schema 1 has always written it; no key without one.
        if (r.baseline() != null) {
            ObjectNode t = o.putObject(r.baseline().name());
            t.put("prefill_tok_s", round(r.baseline().prefillTokS()));
            t.put("decode_tok_s", round(r.baseline().decodeTokS()));
            t.put("engine_decode_speedup", round(r.baseline().engineDecodeSpeedup()));
        }
        ObjectNode p = o.putObject("prefix_cache");
        p.put("system_prompt_tokens", r.prefixCache().systemPromptTokens());
        p.put("user_tokens", r.prefixCache().userTokens());
        p.put("cached_tokens", r.prefixCache().cachedTokens());
        p.put("first_ttft_ms", round(r.prefixCache().firstTtftMs()));
        p.put("cached_ttft_ms", round(r.prefixCache().cachedTtftMs()));
        p.put("speedup", round(r.prefixCache().speedup()));
        if (r.formats() != null) {
            ObjectNode f = o.putObject("formats");
            f.put("rounds", r.formats().rounds());
            f.put("f32_decode_tok_s", round(r.formats().f32TokS()));
            f.put("bf16_decode_tok_s", round(r.formats().bf16TokS()));
            f.put("q8_decode_tok_s", round(r.formats().q8TokS()));
            f.put("bf16_vs_f32", round(r.formats().bf16VsF32()));
            f.put("q8_vs_f32", round(r.formats().q8VsF32()));
        }
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(EngineBench.Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "model %s, weights %s, kernels %s, %d threads, Java %s%n", r.model(), r.dtype(),
                r.kernels(), r.threads(), r.java()));
        sb.append(String.format(Locale.ROOT, "read bandwidth %.1f GB/s; a decode step reads %.1f MB of weights: limit %.2f tok/s%n",
                r.readBandwidthGbS(), r.weightBytesPerToken() / 1e6, r.bandwidthLimitTokS()));
        sb.append(String.format(Locale.ROOT, "batch 1   prefill %8.1f tok/s (%d tokens)   decode %7.2f tok/s = %.0f%% of the limit%n",
                r.batch1().prefillTokS(), r.batch1().promptTokens(), r.batch1().decodeTokS(), 100 * r.bandwidthFraction()));
        EngineBench.BatchN bn = r.batchN();
        sb.append(String.format(Locale.ROOT, "batch %-3d decode %7.2f tok/s in total = %.1fx batch 1%n", bn.requests(),
                bn.decodeTokS(), bn.speedupVsBatch1()));
        if (r.baseline() != null) {
            EngineBench.BaselineRun b = r.baseline();
            sb.append(String.format(Locale.ROOT, "%-9s prefill %8.1f tok/s   decode %7.2f tok/s (%s); engine decode is %.2fx%n",
                    b.name(), b.prefillTokS(), b.decodeTokS(), b.precision(), b.engineDecodeSpeedup()));
        }
        EngineBench.PrefixCache p = r.prefixCache();
        sb.append(String.format(Locale.ROOT, "prefix cache: %d-token system prompt, first token after %.0f ms, then %.0f ms with %d tokens cached (%.1fx)%n",
                p.systemPromptTokens(), p.firstTtftMs(), p.cachedTtftMs(), p.cachedTokens(), p.speedup()));
        if (r.formats() != null) {
            EngineBench.Formats f = r.formats();
            sb.append(String.format(Locale.ROOT, "formats side by side (batch-1 decode, best of %d rounds): f32 %.2f, bf16 %.2f (%.2fx), q8 %.2f (%.2fx) tok/s%n",
                    f.rounds(), f.f32TokS(), f.bf16TokS(), f.bf16VsF32(), f.q8TokS(), f.q8VsF32()));
        }
        return sb.toString();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
