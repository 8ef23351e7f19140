package dev.tinyvllm.steps.week1.sampling;

import dev.tinyvllm.testing.Mutant;
import dev.tinyvllm.testing.MutantTable;
import java.util.stream.Stream;

/** Each mistake students make with sampling is caught with its tag and no other. */
class SamplingMutantsTest extends MutantTable {

    private static final String STEP = "week1/sampling";
    private static final String FILE = "src/main/java/week1/sampling/Sampler.java";
    private static final String PROBS = "Sampler.probabilities";
    private static final String SAMPLE = "Sampler.sample";

    static Stream<Mutant> mutants() {
        return Stream.of(
                Mutant.of("temperature multiplied", STEP)
                        .edit(FILE, "logits.div(temperature)", "logits.mul(temperature)")
                        .breaks(PROBS, "TEMPERATURE_INVERTED"),
                Mutant.of("top-k keeps exactly k", STEP)
                        .edit(FILE, "float kth = scaled[ranking(scaled)[topK - 1]];\n"
                                + "            for (int i = 0; i < vocab; i++) {\n"
                                + "                keep[i] = scaled[i] >= kth;\n"
                                + "            }",
                                "Integer[] order = ranking(scaled);\n"
                                + "            for (int i = 0; i < vocab; i++) {\n"
                                + "                keep[order[i]] = i < topK;\n"
                                + "            }")
                        .breaks(PROBS, "TOP_K_TIES_DROPPED"),
                Mutant.of("top-k one short", STEP)
                        .edit(FILE, "scaled[ranking(scaled)[topK - 1]]", "scaled[ranking(scaled)[Math.max(0, topK - 2)]]")
                        .breaks(PROBS, "TOP_K_OFF_BY_ONE"),
                Mutant.of("top-p drops the token that crosses p", STEP)
                        .edit(FILE, "for (int r = 0; r < vocab && (r == 0 || total < topP); r++) {",
                                "for (int r = 0; r < vocab && (r == 0 || total + p[order[r]] <= topP); r++) {")
                        .breaks(PROBS, "TOP_P_BOUNDARY"),
                Mutant.of("top-p before the temperature", STEP)
                        .edit(FILE, "float[] p = probs.toFloatArray();", "float[] p = softmax(manager, logits.toFloatArray(), keep).toFloatArray();")
                        .breaks(PROBS, "FILTER_ORDER"),
                Mutant.of("not renormalised", STEP)
                        .edit(FILE, "            probs = softmax(manager, scaled, keep);\n        }\n        return probs;",
                                "            float[] all = softmax(manager, scaled, null).toFloatArray();\n"
                                + "            for (int i = 0; i < vocab; i++) {\n"
                                + "                all[i] = keep[i] ? all[i] : 0f;\n"
                                + "            }\n"
                                + "            probs = manager.create(all);\n        }\n        return probs;",
                                "    private static NDArray softmax(NDManager manager, float[] scaled, boolean[] keep) {\n"
                                + "        float[] masked = scaled.clone();\n"
                                + "        for (int i = 0; i < masked.length; i++) {\n"
                                + "            if (!keep[i]) {",
                                "    private static NDArray softmax(NDManager manager, float[] scaled, boolean[] keep) {\n"
                                + "        float[] masked = scaled.clone();\n"
                                + "        for (int i = 0; i < masked.length; i++) {\n"
                                + "            if (keep != null && !keep[i]) {")
                        .breaks(PROBS, "NOT_RENORMALIZED")
                        .mayBreak(SAMPLE, "DRAWS_OFF_DISTRIBUTION"),
                Mutant.of("greedy picks the last of tied tokens", STEP)
                        .edit(FILE, "oneHot[(int) logits.argMax().getLong()] = 1;",
                                "int best = 0;\n"
                                + "            float[] l = logits.toFloatArray();\n"
                                + "            for (int i = 0; i < vocab; i++) {\n"
                                + "                best = l[i] >= l[best] ? i : best;\n"
                                + "            }\n"
                                + "            oneHot[best] = 1;")
                        .breaks(PROBS, "GREEDY_TIE").breaks(SAMPLE, "GREEDY_TIE"),
                Mutant.of("draws from an unseeded generator", STEP)
                        .edit(FILE, "this.random = new Random(seed);", "this.random = new Random();")
                        .breaks(SAMPLE, "SEED_IGNORED"),
                Mutant.of("draws ignore the filters", STEP)
                        .edit(FILE, "float[] probs = probabilities(logits).toFloatArray();",
                                "float[] probs = logits.div(temperature == 0 ? 1 : temperature).softmax(0).toFloatArray();")
                        .breaks(SAMPLE, "FILTERS_IGNORED_WHEN_DRAWING", "GREEDY_NOT_ARGMAX"),
                Mutant.of("draws one token too far", STEP)
                        .edit(FILE, "                if (u < total) {\n                    return i;",
                                "                if (u < total) {\n                    return (i + 1) % probs.length;")
                        .breaks(SAMPLE, "DRAWS_OFF_DISTRIBUTION", "GREEDY_NOT_ARGMAX", "FILTERS_IGNORED_WHEN_DRAWING"));
    }
}
