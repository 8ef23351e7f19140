package dev.tinyvllm.steps.week1.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.DriverClass;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.Static;
import dev.tinyvllm.check.StudentClass;
import dev.tinyvllm.student.LanguageModel;
import dev.tinyvllm.student.ModelFolder;
import dev.tinyvllm.student.Tokenizer;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What the checks of week1/generate call in the student JVM: the student's loop, the student's own
 * model, and the two driver objects that stand beside them (a scripted model and a recorder). The
 * driver views extend the student API's types so that they can be passed where the student's methods
 * take those; they travel as handles to the objects over there.
 */
public final class Views {

    private Views() {}

    /** The student's week1.generate.Generator. */
    @StudentClass("week1.generate.Generator")
    public interface Generator {
        @Static
        int[] greedy(LanguageModel model, int[] promptIds, Set<Integer> stopIds, int maxNewTokens, IntConsumer onToken);

        @Static
        String chat(LanguageModel model, Tokenizer tokenizer, String userMessage, int maxNewTokens,
                Consumer<String> onText);
    }

    /** {@link dev.tinyvllm.steps.week1.generate.driver.ScriptedModel}, with what it recorded. */
    @DriverClass("dev.tinyvllm.steps.week1.generate.driver.ScriptedModel")
    public interface ScriptedModel extends LanguageModel {
        @New
        ScriptedModel create(NDManager manager, int vocab, int[] script, Set<Integer> avoid, Recorder progress);

        List<int[]> inputs();

        List<Integer> progressAtCall();

        List<int[]> favourites();
    }

    /** {@link dev.tinyvllm.host.fixtures.Recorder}: where the student's loop streams ids or text. */
    @DriverClass("dev.tinyvllm.host.fixtures.Recorder")
    public interface Recorder extends IntConsumer, Consumer<String> {
        @New
        Recorder create();

        List<Object> values();
    }
}
