package dev.tinyvllm.steps.week1.generate;

import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.model.RandomQwen2Model;
import dev.tinyvllm.model.TokenizerFiles;
import dev.tinyvllm.student.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The chat checks: the student's chat on a scripted model that answers with the ids of a known text,
 * with a real Qwen2-format tokenizer the checker writes where the student JVM can read it. The judge
 * opens the same folder for the ids and texts it expects.
 */
final class ChatCheck {

    private static final String REPLACEMENT = "\uFFFD";

    /** A user message, the answer the model is scripted to give, and the limit. */
    record Case(String name, String description, String message, String answer, int max) {}

    static final List<Case> CASES = List.of(
            new Case("answer", "one question, the model answers and then chooses <|im_end|>",
                    "What is the capital of France?", "The capital of France is Paris.", 40),
            new Case("whole_characters", "an answer with accents, a dash, Chinese and an emoji, which byte-level "
                    + "tokens split inside characters", "Say it with accents.", "Très bien — voilà, 巴黎 ☕!", 60),
            new Case("limit", "the limit of 4 tokens cuts the answer short",
                    "Describe the engine.", "The engine decodes one token at a time.", 4));

    private final CheckContext ctx;
    private final Case c;
    private final Tokenizer tokenizer;

    private ChatCheck(CheckContext ctx, Case c, Tokenizer tokenizer) {
        this.ctx = ctx;
        this.c = c;
        this.tokenizer = tokenizer;
    }

    static CheckResult check(CheckContext ctx, Case c) {
        Path dir = ctx.inputFolder("generate-tokenizer-");
        try {
            TokenizerFiles.write(dir, RandomQwen2Model.TOKENIZER_MERGES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer", e);
        }
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            return new ChatCheck(ctx, c, tokenizer).run();
        }
    }

    private CheckResult run() {
        int imEnd = tokenizer.encode(TokenizerFiles.IM_END)[0];
        int[] script = Show.concat(tokenizer.encode(c.answer()), new int[] {imEnd});
        Set<Integer> stops = tokenizer.stopTokenIds();
        Views.Recorder onText = ctx.student(Views.Recorder.class).create();
        Views.ScriptedModel model = ctx.student(Views.ScriptedModel.class)
                .create(ctx.manager(), tokenizer.vocabularySize(), script, stops, onText);
        String returned = ctx.student(Views.Generator.class).chat(model, tokenizer, c.message(), c.max(), onText);
        int[] expectedIds = ScriptedGreedy.expected(script, stops, c.max());
        String expected = tokenizer.decode(expectedIds);
        List<int[]> inputs = model.inputs();
        if (inputs.isEmpty()) {
            return ctx.fail("chat never called the model");
        }
        String prompt = tokenizer.applyChatTemplate(c.message());
        int[] first = inputs.get(0);
        if (!Arrays.equals(first, tokenizer.encode(prompt))) {
            String message = "the first call to forward got ids that read " + Show.quote(tokenizer.decode(first))
                    + "; the model expects the message in its chat format, ending where the assistant speaks";
            return Arrays.equals(first, tokenizer.encode(c.message()))
                    ? ctx.fail(message, GenerateTag.TEMPLATE_MISSING) : ctx.fail(message);
        }
        if (returned == null) {
            return ctx.fail("chat returned null; it returns the answer's text");
        }
        if (!returned.equals(expected)) {
            return wrongText(returned, expected, prompt, expectedIds);
        }
        return streaming(pieces(onText.values()), returned, expected, expectedIds.length, model.progressAtCall());
    }

    private CheckResult wrongText(String returned, String expected, String prompt, int[] expectedIds) {
        String message = "chat returned " + Show.quote(returned) + ", expected " + Show.quote(expected);
        if (returned.startsWith(prompt)) {
            return ctx.fail(message + ": it begins with the prompt", GenerateTag.PROMPT_RETURNED);
        }
        if (returned.contains(TokenizerFiles.IM_END)) {
            return ctx.fail(message, GenerateTag.STOP_TOKEN_IN_TEXT);
        }
        if (returned.equals(tokenByToken(expectedIds))) {
            return ctx.fail(message + ": each token decoded on its own breaks the characters made of several tokens",
                    GenerateTag.DECODED_TOKEN_BY_TOKEN);
        }
        return ctx.fail(message);
    }

    /**
     * @param progressAtCall how many pieces onText had received when each call to the model began
     */
    private CheckResult streaming(List<String> pieces, String returned, String expected, int expectedTokens,
            List<Integer> progressAtCall) {
        String joined = String.join("", pieces);
        if (pieces.stream().anyMatch(p -> p.contains(REPLACEMENT)) && !expected.contains(REPLACEMENT)) {
            return ctx.fail("a piece passed to onText ends inside a character (it holds U+FFFD): "
                    + pieces.stream().limit(12).map(Show::quote).collect(Collectors.joining(", "))
                    + (pieces.size() > 12 ? ", …" : ""), GenerateTag.DECODED_TOKEN_BY_TOKEN);
        }
        if (!joined.equals(returned)) {
            if (pieces.isEmpty()) {
                return ctx.fail("onText was never called; the answer reaches it piece by piece",
                        GenerateTag.TEXT_NOT_STREAMED);
            }
            boolean repeats = joined.length() > returned.length() && pieces.stream().allMatch(returned::startsWith);
            return ctx.fail("the pieces passed to onText join to " + Show.quote(joined) + ", but chat returned "
                    + Show.quote(returned), repeats ? GenerateTag.TEXT_REPEATED : GenerateTag.TEXT_NOT_STREAMED);
        }
        int lastCall = progressAtCall.size() - 1;
        if (expectedTokens >= 2 && lastCall > 0 && characters(pieces, progressAtCall.get(lastCall)) == 0) {
            return ctx.fail("no text reached onText before the answer was complete; it should flow while the model "
                    + "works", GenerateTag.TEXT_NOT_STREAMED);
        }
        return ctx.pass("answered " + Show.quote(returned) + " in " + pieces.size() + " pieces");
    }

    /** How many characters the first {@code count} pieces hold: what had been streamed at that moment. */
    private static int characters(List<String> pieces, int count) {
        return pieces.subList(0, Math.min(count, pieces.size())).stream().mapToInt(String::length).sum();
    }

    /** The pieces onText received; a null piece reads "null", as it would once appended to the answer. */
    private static List<String> pieces(List<Object> values) {
        List<String> pieces = new ArrayList<>();
        values.forEach(v -> pieces.add(String.valueOf(v)));
        return pieces;
    }

    private String tokenByToken(int[] ids) {
        StringBuilder s = new StringBuilder();
        for (int id : ids) {
            s.append(tokenizer.decode(new int[] {id}));
        }
        return s.toString();
    }
}
