package week1.generate;

import dev.tinyvllm.student.LanguageModel;
import dev.tinyvllm.student.Tokenizer;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Week 1: text from a model, one greedy token at a time, without a cache.
 * Read steps/week1/generate/README.md first, then run `tutor check week1/generate`.
 */
public final class Generator {

    private Generator() {}

    /**
     * Greedy decoding: the whole sequence goes through the model at every step, and the best-scoring
     * token of the last position is appended.
     *
     * @param model scores INT32 [1, seqLen] ids as float32 [1, seqLen, vocab]
     * @param promptIds the prompt's token ids, at least one
     * @param stopIds ids that end the answer; a stop id is neither returned nor passed to onToken
     * @param maxNewTokens the most tokens to generate
     * @param onToken receives each new id as soon as it is chosen
     * @return the new ids, without the prompt and without the stop id
     */
    public static int[] greedy(LanguageModel model, int[] promptIds, Set<Integer> stopIds, int maxNewTokens,
            IntConsumer onToken) {
        throw new UnsupportedOperationException("greedy is not implemented yet");
    }

    /**
     * Answers one user message: the message in the model's chat format, greedy decoding until a stop id
     * or the limit, and the answer's text streamed as it grows.
     *
     * @param tokenizer the model's tokenizer: chat template, ids and text, stop ids
     * @param onText receives the answer piece by piece; the pieces joined are the returned text, and no
     *     piece ends inside a character
     * @return the answer's text, without the stop token
     */
    public static String chat(LanguageModel model, Tokenizer tokenizer, String userMessage, int maxNewTokens,
            Consumer<String> onText) {
        throw new UnsupportedOperationException("chat is not implemented yet");
    }
}
