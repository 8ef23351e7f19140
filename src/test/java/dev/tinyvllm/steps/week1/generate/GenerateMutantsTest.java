package dev.tinyvllm.steps.week1.generate;

import dev.tinyvllm.testing.Mutant;
import dev.tinyvllm.testing.MutantTable;
import java.util.stream.Stream;

/** Mistakes of a generation loop and of streaming text, each caught with its tag. */
class GenerateMutantsTest extends MutantTable {

    private static final String STEP = "week1/generate";
    private static final String GENERATOR = "src/main/java/week1/generate/Generator.java";
    private static final String GREEDY = "Generator.greedy";
    private static final String CHAT = "Generator.chat";
    private static final String PICK = "next = (int) logits.get(0, length - 1).argMax().getLong();";
    private static final String STOP = "if (stopIds.contains(next)) {\n                    break;\n                }\n";
    private static final String KEEP = "sequence[length++] = next;\n                onToken.accept(next);\n";

    static Stream<Mutant> mutants() {
        return Stream.of(
                Mutant.of("the first row picks the token", STEP)
                        .edit(GENERATOR, PICK, "next = (int) logits.get(0, 0).argMax().getLong();")
                        .breaks(GREEDY, "WRONG_ROW")
                        .mayBreak(CHAT),
                Mutant.of("the smallest score picks the token", STEP)
                        .edit(GENERATOR, PICK, "next = (int) logits.get(0, length - 1).argMin().getLong();")
                        .breaks(GREEDY, "NOT_ARGMAX")
                        .mayBreak(CHAT),
                Mutant.of("stop ids ignored", STEP)
                        .edit(GENERATOR, STOP, "")
                        .breaks(GREEDY, "STOP_IGNORED")
                        .breaks(CHAT, "STOP_TOKEN_IN_TEXT"),
                Mutant.of("the stop id kept before the test", STEP)
                        .edit(GENERATOR, STOP + "                " + KEEP,
                                KEEP + "                if (stopIds.contains(next)) {\n                    break;\n                }\n")
                        .breaks(GREEDY, "STOP_TOKEN_RETURNED")
                        .breaks(CHAT, "STOP_TOKEN_IN_TEXT"),
                Mutant.of("one token fewer than the limit", STEP)
                        .edit(GENERATOR, "while (length - promptIds.length < maxNewTokens) {",
                                "while (length - promptIds.length < maxNewTokens - 1) {")
                        .breaks(GREEDY, "LIMIT_WRONG")
                        .mayBreak(CHAT),
                Mutant.of("the prompt alone at every step", STEP)
                        .edit(GENERATOR, "NDArray ids = manager.create(Arrays.copyOf(sequence, length), new Shape(1, length));",
                                "NDArray ids = manager.create(promptIds, new Shape(1, promptIds.length));",
                                PICK, "next = (int) logits.get(0, promptIds.length - 1).argMax().getLong();")
                        .breaks(GREEDY, "SEQUENCE_NOT_EXTENDED")
                        .mayBreak(CHAT),
                Mutant.of("the prompt returned with the answer", STEP)
                        .edit(GENERATOR, "return Arrays.copyOfRange(sequence, promptIds.length, length);",
                                "return Arrays.copyOfRange(sequence, 0, length);")
                        .breaks(GREEDY, "PROMPT_RETURNED"),
                Mutant.of("the prompt decoded with the answer", STEP)
                        .edit(GENERATOR, "String text = tokenizer.decode(Arrays.copyOf(answer, count[0]));\n        if",
                                "String text = tokenizer.decode(prompt) + tokenizer.decode(Arrays.copyOf(answer, count[0]));\n        if")
                        .breaks(CHAT, "PROMPT_RETURNED"),
                Mutant.of("only the last token fed back", STEP)
                        .edit(GENERATOR, "NDArray ids = manager.create(Arrays.copyOf(sequence, length), new Shape(1, length));",
                                "int[] fed = length == promptIds.length ? Arrays.copyOf(sequence, length) : new int[] {sequence[length - 1]};\n"
                                + "                    NDArray ids = manager.create(fed, new Shape(1, fed.length));",
                                "next = (int) logits.get(0, length - 1).argMax().getLong();",
                                "next = (int) logits.get(0, fed.length - 1).argMax().getLong();")
                        .breaks(GREEDY, "LAST_TOKEN_ONLY")
                        .mayBreak(CHAT),
                Mutant.of("tokens passed on after the loop", STEP)
                        .edit(GENERATOR, "                onToken.accept(next);\n", "",
                                "return Arrays.copyOfRange(sequence, promptIds.length, length);",
                                "int[] out = Arrays.copyOfRange(sequence, promptIds.length, length);\n"
                                + "        Arrays.stream(out).forEach(onToken);\n        return out;")
                        .breaks(GREEDY, "TOKENS_NOT_STREAMED")
                        .breaks(CHAT, "TEXT_NOT_STREAMED"),
                Mutant.of("the bare message without the chat format", STEP)
                        .edit(GENERATOR, "tokenizer.encode(tokenizer.applyChatTemplate(userMessage))", "tokenizer.encode(userMessage)")
                        .breaks(CHAT, "TEMPLATE_MISSING"),
                Mutant.of("each token decoded on its own", STEP)
                        .edit(GENERATOR, "String text = tokenizer.decode(Arrays.copyOf(answer, count[0]));\n            // A token",
                                "String text = shown + tokenizer.decode(new int[] {id});\n            // A token",
                                "if (text.length() > shown.length() && !text.endsWith(\"\\uFFFD\")) {",
                                "if (text.length() > shown.length()) {")
                        .breaks(CHAT, "DECODED_TOKEN_BY_TOKEN"),
                Mutant.of("the whole text so far passed on each time", STEP)
                        .edit(GENERATOR, "onText.accept(text.substring(shown.length()));\n                shown",
                                "onText.accept(text);\n                shown")
                        .breaks(CHAT, "TEXT_REPEATED"),
                Mutant.of("the student's model has no final norm", STEP)
                        .edit("src/main/java/week1/model/Qwen2Model.java", "return head.asLinear(norm.forward(x));",
                                "return head.asLinear(x);")
                        .breaks(GREEDY, "MODEL_DIVERGES"));
    }
}
