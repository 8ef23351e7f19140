package week1.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.student.LanguageModel;
import dev.tinyvllm.student.Tokenizer;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** The course's solution of week1/generate. Never shown to students. */
public final class Generator {

    private Generator() {}

    public static int[] greedy(LanguageModel model, int[] promptIds, Set<Integer> stopIds, int maxNewTokens,
            IntConsumer onToken) {
        int[] sequence = Arrays.copyOf(promptIds, promptIds.length + Math.max(0, maxNewTokens));
        int length = promptIds.length;
        try (NDManager manager = NDManager.newBaseManager()) {
            while (length - promptIds.length < maxNewTokens) {
                int next;
                // Everything one step allocates, the model's intermediates included, goes when the step ends.
                try (NDScope step = new NDScope()) {
                    NDArray ids = manager.create(Arrays.copyOf(sequence, length), new Shape(1, length));
                    NDArray logits = model.forward(ids);
                    next = (int) logits.get(0, length - 1).argMax().getLong();
                }
                if (stopIds.contains(next)) {
                    break;
                }
                sequence[length++] = next;
                onToken.accept(next);
            }
        }
        return Arrays.copyOfRange(sequence, promptIds.length, length);
    }

    public static String chat(LanguageModel model, Tokenizer tokenizer, String userMessage, int maxNewTokens,
            Consumer<String> onText) {
        int[] prompt = tokenizer.encode(tokenizer.applyChatTemplate(userMessage));
        int[] answer = new int[Math.max(0, maxNewTokens)];
        int[] count = {0};
        StringBuilder shown = new StringBuilder();
        greedy(model, prompt, tokenizer.stopTokenIds(), maxNewTokens, id -> {
            answer[count[0]++] = id;
            String text = tokenizer.decode(Arrays.copyOf(answer, count[0]));
            // A token can end in the middle of a character: wait until the character is complete.
            if (text.length() > shown.length() && !text.endsWith("\uFFFD")) {
                onText.accept(text.substring(shown.length()));
                shown.replace(0, shown.length(), text);
            }
        });
        String text = tokenizer.decode(Arrays.copyOf(answer, count[0]));
        if (text.length() > shown.length()) {
            onText.accept(text.substring(shown.length()));
        }
        return text;
    }
}
