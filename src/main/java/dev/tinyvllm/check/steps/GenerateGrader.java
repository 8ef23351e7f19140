package dev.tinyvllm.check.steps;

import static dev.tinyvllm.check.steps.Grading.fail;
import static dev.tinyvllm.check.steps.Grading.pass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CheckSpec;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.StepGrader;
import dev.tinyvllm.check.StudentCode;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.check.steps.Grading.NamedCase;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.model.Checkpoint;
import dev.tinyvllm.model.DType;
import dev.tinyvllm.model.Qwen2Config;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.model.TokenizerFiles;
import dev.tinyvllm.oracle.Week1ModelOracle;
import dev.tinyvllm.student.LanguageModel;
import dev.tinyvllm.student.ModelFolder;
import dev.tinyvllm.student.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * week1/generate: the loop is tested on its own with a {@link ScriptedModel}, whose last row favours a
 * known token and whose earlier rows favour decoys, so each typical mistake (wrong row, stop id
 * returned or ignored, limit off by one, only the last token fed back, tokens streamed late) shows as
 * itself. The chat checks use a real Qwen2-format tokenizer the checker writes. One check runs the
 * student's own week-1 model with the student's loop on a random model folder, against the oracle.
 */
public final class GenerateGrader implements StepGrader {

    private static final String GREEDY_FN = "Generator.greedy";
    private static final String CHAT_FN = "Generator.chat";
    private static final Class<?>[] GREEDY = {LanguageModel.class, int[].class, Set.class, int.class, IntConsumer.class};
    private static final Class<?>[] CHAT = {LanguageModel.class, Tokenizer.class, String.class, int.class, Consumer.class};
    private static final int VOCAB = 64;
    private static final int STOP = 63;
    private static final int END_OF_TEXT = 62;
    private static final String REPLACEMENT = "\uFFFD";

    private record GreedyCase(String name, String description, int[] prompt, int[] script, Set<Integer> stops, int max)
            implements NamedCase {}

    private static final List<GreedyCase> GREEDY_CASES = List.of(
            new GreedyCase("stops_at_stop_token", "the model chooses the stop id as its 4th token; limit 10",
                    new int[] {17, 3, 42, 8}, new int[] {21, 5, 33, STOP, 12, 9}, Set.of(STOP), 10),
            new GreedyCase("any_stop_token", "two stop ids; the model chooses the second one as its 2nd token",
                    new int[] {4, 4, 19}, new int[] {30, END_OF_TEXT, 7}, Set.of(STOP, END_OF_TEXT), 10),
            new GreedyCase("stops_at_limit", "no stop id comes; limit 5",
                    new int[] {9, 1, 50, 2, 26}, new int[] {11, 12, 13, 14, 15, 16, 17, 18}, Set.of(STOP), 5));

    private record ChatCase(String name, String description, String message, String answer, int max)
            implements NamedCase {}

    private static final List<ChatCase> CHAT_CASES = List.of(
            new ChatCase("answer", "one question, the model answers and then chooses <|im_end|>",
                    "What is the capital of France?", "The capital of France is Paris.", 40),
            new ChatCase("whole_characters", "an answer with accents, a dash, Chinese and an emoji, which byte-level "
                    + "tokens split inside characters", "Say it with accents.", "Très bien — voilà, 巴黎 ☕!", 60),
            new ChatCase("limit", "the limit of 4 tokens cuts the answer short",
                    "Describe the engine.", "The engine decodes one token at a time.", 4));

    private static final String YOUR_MODEL = "your_model";
    private static final int YOUR_MODEL_TOKENS = 6;

    @Override
    public String stepId() {
        return "week1/generate";
    }

    @Override
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        checks.addAll(Grading.specs("greedy.", GREEDY_FN, GREEDY_CASES));
        checks.add(new CheckSpec("greedy." + YOUR_MODEL, GREEDY_FN, "your Qwen2Model (week1/qwen2-model) on a random "
                + "2-layer model folder: " + YOUR_MODEL_TOKENS + " greedy tokens after a chat prompt"));
        checks.addAll(Grading.specs("chat.", CHAT_FN, CHAT_CASES));
        return checks;
    }

    @Override
    public CheckResult run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
        Run run = new Run(check, code, manager, step, seed);
        String caseName = Grading.caseName(check);
        return Grading.guarded(check, () -> {
            if (check.function().equals(CHAT_FN)) {
                return run.chat(Grading.named(CHAT_CASES, caseName));
            }
            if (caseName.equals(YOUR_MODEL)) {
                return run.yourModel();
            }
            return run.greedy(Grading.named(GREEDY_CASES, caseName));
        });
    }

    /** One check's state. */
    private static final class Run extends CheckContext {

        Run(CheckSpec check, StudentCode code, NDManager manager, Step step, long seed) {
            super(check, code, manager, step, seed);
        }

        CheckResult greedy(GreedyCase c) throws StudentFailure {
            List<Integer> streamed = new ArrayList<>();
            try (NDManager scratch = manager.newSubManager()) {
                ScriptedModel model = new ScriptedModel(scratch, VOCAB, c.script(), c.stops(), streamed::size);
                Object out = code.call("greedy", GREEDY, model, c.prompt().clone(), c.stops(), c.max(),
                        (IntConsumer) streamed::add);
                if (!(out instanceof int[] returned)) {
                    return fail(check, "greedy returned null; it returns the new ids", List.of());
                }
                int[] expected = ScriptedModel.expected(c.script(), c.stops(), c.max());
                return judge(c, model, returned, expected, ints(streamed));
            }
        }

        private CheckResult judge(GreedyCase c, ScriptedModel model, int[] returned, int[] expected, int[] streamed) {
            boolean stopped = expected.length < c.max() && expected.length < c.script().length;
            int stopId = stopped ? c.script()[expected.length] : -1;
            if (!Arrays.equals(returned, expected)) {
                return wrongTokens(c, model, returned, expected, stopped, stopId);
            }
            int needed = Math.min(model.inputs.size(), expected.length + (stopped ? 1 : 0));
            for (int k = 0; k < needed; k++) {
                int[] want = concat(c.prompt(), Arrays.copyOf(expected, k));
                int[] got = model.inputs.get(k);
                if (Arrays.equals(got, want)) {
                    continue;
                }
                String message = "call " + (k + 1) + " to forward got the ids " + show(got) + "; it should get "
                        + "the prompt and every token chosen so far, " + show(want);
                if (k > 0 && got.length == 1 && got[0] == expected[k - 1]) {
                    return fail(check, message, List.of("LAST_TOKEN_ONLY"));
                }
                if (k > 0 && Arrays.equals(got, c.prompt())) {
                    return fail(check, message, List.of("SEQUENCE_NOT_EXTENDED"));
                }
                return fail(check, message, List.of());
            }
            if (!Arrays.equals(streamed, returned)) {
                return fail(check, "onToken received " + show(streamed) + " but greedy returned "
                        + show(returned) + "; each new id goes to onToken once, as it is chosen",
                        List.of("TOKENS_NOT_STREAMED"));
            }
            for (int k = 1; k < needed; k++) {
                if (model.progressAtCall.get(k) < k) {
                    return fail(check, "when forward was called for token " + (k + 1) + ", onToken had received only "
                            + model.progressAtCall.get(k) + " of the " + k + " tokens chosen before",
                            List.of("TOKENS_NOT_STREAMED"));
                }
            }
            return pass(check, "generated " + show(returned)
                    + (stopped ? " and stopped at stop id " + stopId : ", the limit of " + c.max() + " tokens"));
        }

        private CheckResult wrongTokens(GreedyCase c, ScriptedModel model, int[] returned, int[] expected,
                boolean stopped, int stopId) {
            String got = "greedy returned " + show(returned) + ", expected " + show(expected);
            if (returned.length >= c.prompt().length
                    && Arrays.equals(Arrays.copyOf(returned, c.prompt().length), c.prompt())) {
                return fail(check, got + ": it begins with the prompt, and only the new ids are returned",
                        List.of("PROMPT_RETURNED"));
            }
            int j = 0;
            while (j < returned.length && j < expected.length && returned[j] == expected[j]) {
                j++;
            }
            if (j == expected.length) {
                if (stopped && returned[j] == stopId) {
                    return returned.length == j + 1
                            ? fail(check, got + ": the stop id " + stopId + " ends the answer but is not part of it",
                                    List.of("STOP_TOKEN_RETURNED"))
                            : fail(check, got + ": the model chose the stop id " + stopId + " after " + tokens(j)
                                    + ", and greedy went on", List.of("STOP_IGNORED"));
                }
                return fail(check, got + (stopped ? "" : ": with maxNewTokens " + c.max() + " it returned "
                        + returned.length + " tokens"), stopped ? List.of() : List.of("LIMIT_WRONG"));
            }
            if (j == returned.length) {
                boolean shortByOne = !stopped && returned.length == c.max() - 1;
                return fail(check, got + ": it stopped after " + tokens(j) + ", though the model's next choice "
                        + expected[j] + " is no stop id" + (shortByOne ? " and the limit " + c.max() + " was not reached"
                        : ""), shortByOne ? List.of("LIMIT_WRONG") : List.of());
            }
            int picked = returned[j];
            String where = got + ": new token " + (j + 1) + " is " + picked + ", while the last position's best score is "
                    + expected[j];
            if (j < model.favourites.size()) {
                int[] rows = model.favourites.get(j);
                for (int r = 0; r < rows.length - 1; r++) {
                    if (picked == rows[r] || picked == r * VOCAB + rows[r]) {
                        return fail(check, where + ", and " + picked + " is the best of position " + r + " of "
                                + rows.length, List.of("WRONG_ROW"));
                    }
                }
            }
            return fail(check, where, List.of("NOT_ARGMAX"));
        }

        CheckResult yourModel() throws StudentFailure {
            Path dir = Grading.scratchFolder("tutor-generate-");
            try {
                Qwen2Config config = RandomQwen2Model.write(dir, RandomQwen2Model.tiny(32, 4, 2, 2, false), DType.F32,
                        random.nextLong(), 1);
                return yourModel(dir, config);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the random model", e);
            } finally {
                Grading.deleteTree(dir);
            }
        }

        private CheckResult yourModel(Path dir, Qwen2Config config) throws StudentFailure {
            try (Checkpoint checkpoint = Checkpoint.open(dir); ModelFolder folder = ModelFolder.open(dir);
                    Tokenizer tokenizer = Tokenizer.load(dir); NDManager scratch = manager.newSubManager()) {
                Week1ModelOracle.Weights weights = Week1ModelOracle.load(checkpoint, config, scratch);
                int[] prompt = tokenizer.encode(tokenizer.applyChatTemplate("Say something short."));
                Set<Integer> stops = tokenizer.stopTokenIds();
                Object model = code.construct(ModelGrader.MODEL, ModelGrader.MODEL_CONSTRUCTOR, folder, scratch,
                        prompt.length + YOUR_MODEL_TOKENS + 8);
                List<Integer> streamed = new ArrayList<>();
                Object out = code.call("greedy", GREEDY, model, prompt.clone(), stops, YOUR_MODEL_TOKENS,
                        (IntConsumer) streamed::add);
                if (!(out instanceof int[] returned)) {
                    return fail(check, "greedy returned null; it returns the new ids", List.of());
                }
                int[] sequence = prompt;
                for (int j = 0; j <= returned.length && j <= YOUR_MODEL_TOKENS; j++) {
                    float[] scores = lastRow(Week1ModelOracle.trace(ids(scratch, sequence), weights).logits());
                    int best = argMax(scores);
                    if (j == returned.length || j == YOUR_MODEL_TOKENS) {
                        boolean done = j == YOUR_MODEL_TOKENS || nearBest(scores, stops, best);
                        if (!done || returned.length > YOUR_MODEL_TOKENS) {
                            return fail(check, "greedy returned " + show(returned) + ": "
                                    + (done ? "more than maxNewTokens " + YOUR_MODEL_TOKENS
                                    : "it stopped although the model's best next token " + best + " is no stop id"),
                                    List.of());
                        }
                        break;
                    }
                    if (!near(scores, returned[j], best)) {
                        String message = String.format(Locale.ROOT, "greedy returned %s: new token %d is %d, but the "
                                + "reference model's best next token is %d (score %.4f against %.4f)",
                                show(returned), j + 1, returned[j], best,
                                returned[j] >= 0 && returned[j] < scores.length ? scores[returned[j]] : Float.NaN, scores[best]);
                        boolean diverges = modelDiverges(model, scratch, prompt, weights);
                        return fail(check, message + (diverges ? "; your Qwen2Model's logits for the prompt already "
                                + "differ from the reference model's" : ""), diverges ? List.of("MODEL_DIVERGES") : List.of());
                    }
                    sequence = concat(sequence, new int[] {returned[j]});
                }
                return pass(check, "your model and your loop produce the reference model's greedy tokens "
                        + show(returned));
            }
        }

        /** Whether the student's model gives other logits than the oracle for the prompt. */
        private boolean modelDiverges(Object model, NDManager scratch, int[] prompt, Week1ModelOracle.Weights weights)
                throws StudentFailure {
            float[] expected = Week1ModelOracle.trace(ids(scratch, prompt), weights).logits().toFloatArray();
            Object out = code.invoke(model, "forward", Qwen2Layer.FORWARD, ids(scratch, prompt));
            return !(out instanceof NDArray logits)
                    || !Comparison.allClose(logits.toType(DataType.FLOAT32, false).toFloatArray(), expected, tolerance);
        }

        /** Within the tolerance of the best score: near-ties cannot tell a right pick from a wrong one. */
        private boolean near(float[] scores, int id, int best) {
            return id >= 0 && id < scores.length
                    && scores[best] - scores[id] <= tolerance.atol() + tolerance.rtol() * Math.abs(scores[best]);
        }

        private boolean nearBest(float[] scores, Set<Integer> stops, int best) {
            return stops.stream().anyMatch(s -> near(scores, s, best));
        }

        CheckResult chat(ChatCase c) throws StudentFailure {
            Path dir = Grading.scratchFolder("tutor-generate-");
            try {
                TokenizerFiles.write(dir, RandomQwen2Model.TOKENIZER_MERGES);
                try (Tokenizer tokenizer = Tokenizer.load(dir); NDManager scratch = manager.newSubManager()) {
                    return chat(c, tokenizer, scratch);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the tokenizer", e);
            } finally {
                Grading.deleteTree(dir);
            }
        }

        private CheckResult chat(ChatCase c, Tokenizer tokenizer, NDManager scratch) throws StudentFailure {
            int imEnd = tokenizer.encode(TokenizerFiles.IM_END)[0];
            int[] script = concat(tokenizer.encode(c.answer()), new int[] {imEnd});
            Set<Integer> stops = tokenizer.stopTokenIds();
            List<String> pieces = new ArrayList<>();
            StringBuilder streamed = new StringBuilder();
            ScriptedModel model = new ScriptedModel(scratch, tokenizer.vocabularySize(), script, stops, streamed::length);
            Object out = code.call("chat", CHAT, model, tokenizer, c.message(), c.max(), (Consumer<String>) piece -> {
                pieces.add(piece);
                streamed.append(piece);
            });
            int[] expectedIds = ScriptedModel.expected(script, stops, c.max());
            String expected = tokenizer.decode(expectedIds);
            if (model.inputs.isEmpty()) {
                return fail(check, "chat never called the model", List.of());
            }
            String prompt = tokenizer.applyChatTemplate(c.message());
            int[] first = model.inputs.get(0);
            if (!Arrays.equals(first, tokenizer.encode(prompt))) {
                boolean raw = Arrays.equals(first, tokenizer.encode(c.message()));
                return fail(check, "the first call to forward got ids that read " + quote(tokenizer.decode(first))
                        + "; the model expects the message in its chat format, ending where the assistant speaks",
                        raw ? List.of("TEMPLATE_MISSING") : List.of());
            }
            if (!(out instanceof String returned)) {
                return fail(check, "chat returned null; it returns the answer's text", List.of());
            }
            if (!returned.equals(expected)) {
                String message = "chat returned " + quote(returned) + ", expected " + quote(expected);
                if (returned.startsWith(prompt)) {
                    return fail(check, message + ": it begins with the prompt", List.of("PROMPT_RETURNED"));
                }
                if (returned.contains(TokenizerFiles.IM_END)) {
                    return fail(check, message, List.of("STOP_TOKEN_IN_TEXT"));
                }
                if (returned.equals(tokenByToken(tokenizer, expectedIds))) {
                    return fail(check, message + ": each token decoded on its own breaks the characters made of "
                            + "several tokens", List.of("DECODED_TOKEN_BY_TOKEN"));
                }
                return fail(check, message, List.of());
            }
            String joined = String.join("", pieces);
            if (pieces.stream().anyMatch(p -> p.contains(REPLACEMENT)) && !expected.contains(REPLACEMENT)) {
                return fail(check, "a piece passed to onText ends inside a character (it holds U+FFFD): "
                        + pieces.stream().limit(12).map(GenerateGrader::quote).collect(Collectors.joining(", "))
                        + (pieces.size() > 12 ? ", …" : ""), List.of("DECODED_TOKEN_BY_TOKEN"));
            }
            if (!joined.equals(returned)) {
                if (pieces.isEmpty()) {
                    return fail(check, "onText was never called; the answer reaches it piece by piece",
                            List.of("TEXT_NOT_STREAMED"));
                }
                boolean repeats = joined.length() > returned.length() && pieces.stream().allMatch(returned::startsWith);
                return fail(check, "the pieces passed to onText join to " + quote(joined) + ", but chat returned "
                        + quote(returned), List.of(repeats ? "TEXT_REPEATED" : "TEXT_NOT_STREAMED"));
            }
            int lastCall = model.progressAtCall.size() - 1;
            if (expectedIds.length >= 2 && lastCall > 0 && model.progressAtCall.get(lastCall) == 0) {
                return fail(check, "no text reached onText before the answer was complete; it should flow while the "
                        + "model works", List.of("TEXT_NOT_STREAMED"));
            }
            return pass(check, "answered " + quote(returned) + " in " + pieces.size() + " pieces");
        }

        private static String tokenByToken(Tokenizer tokenizer, int[] ids) {
            StringBuilder s = new StringBuilder();
            for (int id : ids) {
                s.append(tokenizer.decode(new int[] {id}));
            }
            return s.toString();
        }

    }

    /** A text for a report: quoted, newlines shown, and cut when long. */
    private static String quote(String text) {
        String shown = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        return "\"" + shown.replace("\n", "\\n") + "\"";
    }

    /** Ids for a report, cut when long. */
    private static String show(int[] ids) {
        return ids.length <= 16 ? Arrays.toString(ids)
                : Arrays.toString(Arrays.copyOf(ids, 16)).replace("]", ", … (" + ids.length + " ids)]");
    }

    private static String tokens(int n) {
        return n == 1 ? "1 token" : n + " tokens";
    }

    private static NDArray ids(NDManager manager, int[] ids) {
        return manager.create(ids, new Shape(1, ids.length));
    }

    private static float[] lastRow(NDArray logits) {
        long vocab = logits.getShape().get(2);
        float[] all = logits.toFloatArray();
        return Arrays.copyOfRange(all, (int) (all.length - vocab), all.length);
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

}
