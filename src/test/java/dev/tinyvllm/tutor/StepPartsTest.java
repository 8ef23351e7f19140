package dev.tinyvllm.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.curriculum.Resources;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepFunction;
import dev.tinyvllm.curriculum.StepGuide;
import dev.tinyvllm.leak.CodeDetector;
import dev.tinyvllm.testing.RenamedSource;
import dev.tinyvllm.testing.StepSources;
import dev.tinyvllm.curriculum.source.PartDetector;
import dev.tinyvllm.curriculum.source.PartDetectors;
import dev.tinyvllm.curriculum.source.StudentFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The part detectors of the week-1 layer steps, read through the tutor's {@link FocusFinder} as a
 * session reads them: the skeleton is at each function's first part, the reference has every part,
 * the reference with one part taken out is at that part, and none of it changes when every name
 * the reference declares is renamed or when the code is a student's own, differently built
 * solution (each of which passes `tutor check`).
 */
class StepPartsTest {

    private static final List<String> STEPS = List.of("week1/rope", "week1/gqa", "week1/rmsnorm-mlp", "week1/qwen2-block",
            "week1/sampling");

    /** The reference of {@code step} with one part taken out: each {@code from} in {@code file} becomes the next {@code to}. */
    record Partial(String step, String function, String part, String file, String... fromTo) {
        @Override
        public String toString() {
            return step + " without " + part;
        }
    }

    private static final String ROPE = "src/main/java/week1/rope/RoPE.java";
    private static final String INTERLEAVED = "RoPE.apply (interleaved)";
    private static final String GROUPED = "src/main/java/week1/gqa/GroupedAttention.java";
    private static final String LAYER = "src/main/java/week1/gqa/Qwen2Attention.java";
    private static final String NORM = "src/main/java/week1/mlp/RMSNorm.java";
    private static final String MLP = "src/main/java/week1/mlp/Qwen2MLP.java";
    private static final String BLOCK = "src/main/java/week1/block/Qwen2Block.java";
    private static final String SAMPLER = "src/main/java/week1/sampling/Sampler.java";
    private static final String PROBABILITIES = "Sampler.probabilities";

    static final List<Partial> PARTIALS = List.of(
            new Partial("week1/rope", INTERLEAVED, "frequencies", ROPE, "Math.pow(base, -2.0 * i / headDim)", "1.0"),
            new Partial("week1/rope", INTERLEAVED, "angle-table", ROPE,
                    "(float) Math.cos(angle)", "(float) angle", "(float) Math.sin(angle)", "(float) angle"),
            new Partial("week1/rope", INTERLEAVED, "positions", ROPE,
                    "window(cos, offset, seqLen)", "window(cos, 0, seqLen)", "window(sin, offset, seqLen)",
                    "window(sin, 0, seqLen)"),
            new Partial("week1/rope", INTERLEAVED, "interleaved-pairs", ROPE,
                    "NDArray pairs = x.reshape(batch, seqLen, heads, half, 2);",
                    "throw new UnsupportedOperationException(\"interleaved pairs come next\");",
                    "first = pairs.get(new NDIndex(\"..., 0\"));", "",
                    "second = pairs.get(new NDIndex(\"..., 1\"));", ""),
            new Partial("week1/rope", INTERLEAVED, "rotation", ROPE,
                    "first.mul(c).sub(second.mul(s))", "first", "first.mul(s).add(second.mul(c))", "second"),
            new Partial("week1/rope", INTERLEAVED, "keep-shape", ROPE,
                    ".stack(rotatedSecond, -1).reshape(shape)", ".stack(rotatedSecond, -1)"),
            new Partial("week1/rope", "RoPE.apply (half-split)", "half-split", ROPE,
                    "first = x.get(new NDIndex(\"..., :{}\", half));",
                    "throw new UnsupportedOperationException(\"half-split comes next\");",
                    "second = x.get(new NDIndex(\"..., {}:\", half));", ""),

            new Partial("week1/gqa", "GroupedAttention.causalMask", "causal-mask", GROUPED, """
                    NDArray rows = manager.arange(0, queryLen, 1, DataType.INT64).reshape(queryLen, 1);
                            NDArray cols = manager.arange(0, keyLen, 1, DataType.INT64).reshape(1, keyLen);""", "",
                    "return cols.lte(rows.add(keyLen - queryLen));",
                    "return manager.ones(new Shape(queryLen, keyLen), DataType.BOOLEAN);"),
            new Partial("week1/gqa", "GroupedAttention.attention", "head-groups", GROUPED,
                    "long kvHeads = k.getShape().get(1);", "",
                    "long group = heads / kvHeads;", "",
                    "q.reshape(batch, kvHeads, group, queryLen, dim)", "q",
                    "k.reshape(batch, kvHeads, 1, keyLen, dim)", "k",
                    "v.reshape(batch, kvHeads, 1, keyLen, dim)", "v",
                    "grouped(mask, kvHeads, group)", "mask"),
            new Partial("week1/gqa", "GroupedAttention.attention", "grouped-layout", GROUPED,
                    "q.reshape(batch, kvHeads, group, queryLen, dim)", "q",
                    "k.reshape(batch, kvHeads, 1, keyLen, dim)", "k",
                    "v.reshape(batch, kvHeads, 1, keyLen, dim)", "v"),
            new Partial("week1/gqa", "GroupedAttention.attention", "scores-and-scale", GROUPED, ".div(Math.sqrt(dim))", ""),
            new Partial("week1/gqa", "GroupedAttention.attention", "mask-broadcast", GROUPED, """
                    if (mask != null) {
                                NDArray allowed = grouped(mask, kvHeads, group).broadcast(scores.getShape());
                                NDArray blocked = q.getManager().full(scores.getShape(), Float.NEGATIVE_INFINITY);
                                scores = NDArrays.where(allowed, scores, blocked);
                            }""", ""),
            new Partial("week1/gqa", "GroupedAttention.attention", "merge-output", GROUPED,
                    "return out.reshape(batch, heads, queryLen, dim);", "return out;"),
            new Partial("week1/gqa", "Qwen2Attention.forward", "projections", LAYER,
                    "linear(x, wq, bq)", "x", "linear(x, wk, bk)", "x", "linear(x, wv, bv)", "x"),
            new Partial("week1/gqa", "Qwen2Attention.forward", "rotate-q-k", LAYER,
                    "rope.apply(q, 0)", "q", "rope.apply(k, 0)", "k"),
            new Partial("week1/gqa", "Qwen2Attention.forward", "layer-attention", LAYER,
                    "GroupedAttention.causalMask(x.getManager(), (int) len, (int) len)", "null"),
            new Partial("week1/gqa", "Qwen2Attention.forward", "output-projection", LAYER,
                    "return linear(merged, wo, null);", "return merged;"),

            new Partial("week1/rmsnorm-mlp", "RMSNorm.forward", "mean-square", NORM,
                    "wide.square().mean(new int[] {-1}, true)", "wide"),
            new Partial("week1/rmsnorm-mlp", "RMSNorm.forward", "eps-root", NORM, "meanSquare.add(eps).sqrt()",
                    "meanSquare.sqrt()"),
            new Partial("week1/rmsnorm-mlp", "RMSNorm.forward", "weight", NORM, "toType(type, false).mul(weight)",
                    "toType(type, false)"),
            new Partial("week1/rmsnorm-mlp", "RMSNorm.forward", "keep-type", NORM,
                    "x.toType(DataType.FLOAT32, false)", "x",
                    "normed.toType(type, false).mul(weight)", "normed.mul(weight)"),
            new Partial("week1/rmsnorm-mlp", "Qwen2MLP.forward", "projections", MLP,
                    "linear(x, wGate)", "x", "linear(x, wUp)", "x"),
            new Partial("week1/rmsnorm-mlp", "Qwen2MLP.forward", "silu-gate", MLP, "silu(gate).mul(up)", "gate.mul(up)"),
            new Partial("week1/rmsnorm-mlp", "Qwen2MLP.forward", "gate-times-up", MLP, "silu(gate).mul(up)", "silu(gate)"),

            new Partial("week1/qwen2-block", "Qwen2Block.forward", "pre-norm", BLOCK,
                    "attention.forward(inputNorm.forward(x))", "attention.forward(x)"),
            new Partial("week1/qwen2-block", "Qwen2Block.forward", "attention-branch", BLOCK,
                    "x.add(attention.forward(inputNorm.forward(x)))", "x.add(inputNorm.forward(x))"),
            new Partial("week1/qwen2-block", "Qwen2Block.forward", "first-residual", BLOCK,
                    "x.add(attention.forward(inputNorm.forward(x)))", "attention.forward(inputNorm.forward(x))"),
            new Partial("week1/qwen2-block", "Qwen2Block.forward", "second-norm", BLOCK,
                    "mlp.forward(postAttentionNorm.forward(h))", "mlp.forward(h)"),
            new Partial("week1/qwen2-block", "Qwen2Block.forward", "mlp-branch", BLOCK,
                    "h.add(mlp.forward(postAttentionNorm.forward(h)))", "h.add(postAttentionNorm.forward(h))"),
            new Partial("week1/qwen2-block", "Qwen2Block.forward", "second-residual", BLOCK,
                    "h.add(mlp.forward(postAttentionNorm.forward(h)))", "mlp.forward(postAttentionNorm.forward(h))"),

            new Partial("week1/sampling", PROBABILITIES, "temperature", SAMPLER,
                    "logits.div(temperature).toFloatArray()", "logits.toFloatArray()"),
            new Partial("week1/sampling", PROBABILITIES, "greedy", SAMPLER, """
                    if (temperature == 0) {
                                float[] oneHot = new float[vocab];
                                oneHot[(int) logits.argMax().getLong()] = 1;
                                return manager.create(oneHot);
                            }""", ""),
            new Partial("week1/sampling", PROBABILITIES, "top-k", SAMPLER, """
                    if (topK > 0 && topK < vocab) {
                                float kth = scaled[ranking(scaled)[topK - 1]];
                                for (int i = 0; i < vocab; i++) {
                                    keep[i] = scaled[i] >= kth;
                                }
                            }""", ""),
            new Partial("week1/sampling", PROBABILITIES, "top-p", SAMPLER,
                    "if (topP < 1) {", "if (false) {",
                    "(r == 0 || total < topP)", "r == 0"),
            new Partial("week1/sampling", PROBABILITIES, "renormalize", SAMPLER, """
                    float[] masked = scaled.clone();
                            for (int i = 0; i < masked.length; i++) {
                                if (!keep[i]) {
                                    masked[i] = Float.NEGATIVE_INFINITY;
                                }
                            }
                            return manager.create(masked).softmax(0);""", "return manager.create(scaled).softmax(0);"),
            new Partial("week1/sampling", "Sampler.sample", "draw", SAMPLER, "random.nextDouble()", "0.5"));

    /** Students' own solutions, under src/test/resources/own-layouts/: a folder per solution, the step's files inside. */
    private static final Map<String, String> OWN_LAYOUTS = Map.of(
            "week1/rope-loops", "week1/rope",
            "week1/rope-arrays", "week1/rope",
            "week1/gqa", "week1/gqa",
            "week1/rmsnorm-mlp", "week1/rmsnorm-mlp",
            "week1/qwen2-block", "week1/qwen2-block",
            "week1/sampling", "week1/sampling");

    static Stream<String> steps() {
        return STEPS.stream();
    }

    static Stream<Partial> partials() {
        return PARTIALS.stream();
    }

    static Stream<String> ownLayouts() {
        return OWN_LAYOUTS.keySet().stream().sorted();
    }

    private static final Map<String, Step> STEP_CACHE = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, StepGuide> GUIDES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Step step(String id) {
        return STEP_CACHE.computeIfAbsent(id, StepSources::step);
    }

    private static StepGuide guide(Step step) {
        return GUIDES.computeIfAbsent(step.id(), id -> StepGuide.load(step));
    }

    private static FocusFinder finder(Step step) {
        return new FocusFinder(step, guide(step), PartDetectors.forStep(step));
    }

    private static Map<String, String> files(Step step, boolean skeleton) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String file : step.files()) {
            files.put(file, Resources.requireText(skeleton ? step.skeletonResource(file) : step.referenceResource(file)));
        }
        return files;
    }

    private static Map<String, String> reference(Step step) {
        return files(step, false);
    }

    private static Map<String, String> skeleton(Step step) {
        return files(step, true);
    }

    /** Every file with every name it declares renamed (the skeleton's methods kept: they are the API). */
    private static Map<String, String> renamed(Step step, Map<String, String> files) {
        Set<String> api = new HashSet<>();
        skeleton(step).values().forEach(s -> api.addAll(RenamedSource.methods(s)));
        return RenamedSource.of(files, api);
    }

    private static Map<String, String> partial(Partial p) {
        Map<String, String> files = reference(step(p.step()));
        String text = files.get(p.file());
        for (int i = 0; i < p.fromTo().length; i += 2) {
            assertTrue(text.contains(p.fromTo()[i]), p.file() + " has no `" + p.fromTo()[i] + "` to take out");
            text = text.replace(p.fromTo()[i], p.fromTo()[i + 1]);
        }
        files.put(p.file(), text);
        return files;
    }

    private static Focus focus(Step step, Map<String, String> files) {
        return finder(step).find(new StudentFiles(files), null);
    }

    private static Map<String, Optional<String>> nextParts(Step step, Map<String, String> files) {
        FocusFinder finder = finder(step);
        var source = new StudentFiles(files).parsed();
        Map<String, Optional<String>> next = new LinkedHashMap<>();
        step.functions().forEach(f -> next.put(f.name(), finder.nextPart(f, source)));
        return next;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void theSkeletonIsAtTheFirstPartOfEachFunction(String stepId) {
        Step step = step(stepId);
        StepFunction first = step.functions().get(0);
        Focus f = focus(step, skeleton(step));
        assertEquals(Focus.Kind.PART, f.kind());
        assertEquals("part:" + first.firstPart() + ":" + first.name(), f.key());
        assertEquals(guide(step).part(first.firstPart()).orElseThrow().questions(), f.questions());
        assertTrue(f.evidence().contains("still throws the skeleton's exception, so it starts with the part"), f.evidence());
        assertFalse(CodeDetector.hasCode(f.evidence()), f.evidence());
        Map<String, Optional<String>> expected = step.functions().stream()
                .collect(Collectors.toMap(StepFunction::name, fn -> Optional.of(fn.firstPart()), (a, b) -> a,
                        LinkedHashMap::new));
        assertEquals(expected, nextParts(step, skeleton(step)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void theReferenceHasEveryPartWhateverItsNames(String stepId) {
        Step step = step(stepId);
        for (Map<String, String> files : List.of(reference(step), renamed(step, reference(step)))) {
            assertEquals(Focus.Kind.READY_TO_CHECK, focus(step, files).kind(), () -> focus(step, files).evidence());
            nextParts(step, files).forEach((fn, next) -> assertEquals(Optional.empty(), next, fn));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partials")
    void aPartialSolutionIsAtTheRemovedPartWhateverItsNames(Partial p) {
        Step step = step(p.step());
        String key = "part:" + p.part() + ":" + p.function();
        Focus f = focus(step, partial(p));
        assertEquals(key, f.key(), f.evidence());
        String title = guide(step).part(p.part()).orElseThrow().title();
        assertTrue(f.evidence().contains("\"" + title + "\""), f.evidence());
        assertFalse(f.evidence().contains("cannot find"), f.evidence());
        assertFalse(CodeDetector.hasCode(f.evidence()), "the student reads this: " + CodeDetector.find(f.evidence()));
        Focus renamed = focus(step, renamed(step, partial(p)));
        assertEquals(key, renamed.key(), () -> renamed.evidence() + "\n" + renamed(step, partial(p)).get(p.file()));
    }

    /** The renaming the other tests rely on really renames: the reference's own names are gone from the code. */
    @Test
    void theRenamedReferenceKeepsNoneOfItsDeclaredNames() {
        Step step = step("week1/gqa");
        String original = reference(step).get(LAYER);
        String renamed = renamed(step, reference(step)).get(LAYER);
        Set<String> declared = RenamedSource.declared(original, Set.of("forward"));
        assertTrue(declared.containsAll(Set.of("wq", "bq", "wo", "rope", "merged", "linear", "numHeads", "x")),
                declared.toString());
        for (String name : declared) {
            assertFalse(renamed.matches("(?s).*(?<![\\w.])" + name + "\\b.*"), name + " is still in\n" + renamed);
        }
        assertTrue(renamed.contains("public NDArray forward(NDArray zq"), renamed);
    }

    /** Every part each detector knows is a part of the guide, every guide part is detected, and each has a partial above. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void everyPartOfTheGuideIsDetectedAndTested(String stepId) {
        Step step = step(stepId);
        StepGuide guide = guide(step);
        assertTrue(PartDetectors.hasOwn(step), stepId);
        PartDetector detector = PartDetectors.forStep(step);
        Set<String> detected = new HashSet<>();
        for (StepFunction f : step.functions()) {
            List<String> parts = detector.partsOf(f.name());
            assertEquals(f.firstPart(), parts.get(0), f.name() + " starts at its first part");
            for (String part : parts) {
                assertTrue(guide.part(part).isPresent(), part);
                assertTrue(PARTIALS.stream().anyMatch(p -> p.step().equals(stepId) && p.function().equals(f.name())
                        && p.part().equals(part)), "no partial removes " + part + " from " + f.name());
            }
            detected.addAll(parts);
        }
        assertEquals(guide.parts().stream().map(StepGuide.Part::id).collect(Collectors.toSet()), detected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownLayouts")
    void aStudentsOwnSolutionHasEveryPart(String layout) {
        Step step = step(OWN_LAYOUTS.get(layout));
        Map<String, String> files = new LinkedHashMap<>();
        for (String file : step.files()) {
            files.put(file, testResource("own-layouts/" + layout + "/" + file));
        }
        Focus f = focus(step, files);
        assertEquals(Focus.Kind.READY_TO_CHECK, f.kind(), f.evidence());
        nextParts(step, files).forEach((fn, next) -> assertEquals(Optional.empty(), next, fn));
    }

    /**
     * Another graded function the layer calls is not the layer's code: the reference's grouped
     * attention names its query {@code q}, like this student's constructor names the query weight,
     * yet a layer without projections is still read as one without projections.
     */
    @Test
    void anotherGradedFunctionsNamesDoNotLeakIntoTheCallersParts() {
        Step step = step("week1/gqa");
        Map<String, String> files = reference(step);
        String own = testResource("own-layouts/week1/gqa/" + LAYER);
        assertTrue(own.contains("NDArray q, NDArray qBias"), "the student calls the query weight q");
        files.put(LAYER, own.replace("project(hidden, qW, qB)", "hidden").replace("project(hidden, kW, kB)", "hidden")
                .replace("project(hidden, vW, vB)", "hidden"));
        assertEquals("part:projections:Qwen2Attention.forward", focus(step, files).key());
    }

    /** week1/attention's detector ignores names too: partials like FocusFinderTest's, renamed, land at the same parts. */
    @Test
    void theAttentionDetectorDoesNotDependOnNamesEither() {
        Step step = step("week1/attention");
        String file = step.files().get(0);
        String reference = reference(step).get(file);
        int causalStart = reference.indexOf("if (causal) {");
        String causalBlock = reference.substring(causalStart,
                reference.indexOf("}", reference.indexOf("logicalAnd(lower);", causalStart)) + 1);
        List<String[]> partials = List.of(
                new String[] {"scores = scores.div(Math.sqrt(headDim));", "", "part:scale:eagerBidirectional"},
                new String[] {"scores.softmax(-1)", "scores", "part:softmax:eagerBidirectional"},
                new String[] {"return mergeHeads(context, numHeads, headDim);", "return context;",
                    "part:merge-heads:eagerBidirectional"},
                new String[] {causalBlock, "", "part:causal-mask:eagerCausal"},
                new String[] {"return sdpa(q, k, v, numHeads, headDim, mask, false);",
                    "throw new UnsupportedOperationException(\"sdpaBidirectional is not implemented yet\");",
                    "part:sdpa-call:sdpaBidirectional"});
        assertEquals(Focus.Kind.READY_TO_CHECK, focus(step, renamed(step, reference(step))).kind());
        for (String[] p : partials) {
            assertTrue(reference.contains(p[0]), p[0]);
            Map<String, String> files = Map.of(file, reference.replace(p[0], p[1]));
            assertEquals(p[2], focus(step, files).key(), p[0]);
            assertEquals(p[2], focus(step, renamed(step, files)).key(), () -> "renamed: " + p[0]);
        }
    }

    /** A constructor that already prepares the tables moves a still-skeleton apply past the parts it has. */
    @Test
    void aSkeletonMethodWhoseConstructorIsWrittenNeedsTheNextPart() {
        Step step = step("week1/rope");
        String reference = reference(step).get(ROPE);
        String applySkeleton = reference.substring(0, reference.indexOf("    public NDArray apply"))
                + "    public NDArray apply(NDArray x, int offset) {\n"
                + "        throw new UnsupportedOperationException(\"apply is not implemented yet\");\n    }\n}\n";
        Focus f = focus(step, Map.of(ROPE, applySkeleton));
        assertEquals("part:interleaved-pairs:" + INTERLEAVED, f.key(), f.evidence());
        assertTrue(f.evidence().startsWith("The interleaved case of `RoPE.apply` still throws the skeleton's exception, so "
                + "the part it needs next is"), f.evidence());
    }

    private static String testResource(String path) {
        try (InputStream in = StepPartsTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
