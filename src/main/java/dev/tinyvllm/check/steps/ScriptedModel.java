package dev.tinyvllm.check.steps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.student.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * A stand-in model that tests a generation loop on its own: at its k-th call the last row of the logits
 * favours the k-th token of a script, and every earlier row favours a decoy with an even higher score,
 * so taking the wrong row or the maximum of the whole array picks a decoy. It records what each call
 * received and how much the student had streamed by then.
 */
final class ScriptedModel implements LanguageModel {

    private static final float LAST_ROW_PEAK = 5f;
    private static final float DECOY_PEAK = 8f;

    private final NDManager manager;
    private final int vocab;
    private final int[] script;
    private final Set<Integer> avoid;
    private final IntSupplier progress;
    /** The ids of each call, in order. */
    final List<int[]> inputs = new ArrayList<>();
    /** The student's streaming progress when each call began. */
    final List<Integer> progressAtCall = new ArrayList<>();
    /** For each call, the token each row favours. */
    final List<int[]> favourites = new ArrayList<>();

    /**
     * @param script the token the last row favours at each call; past its end, a filler token
     * @param avoid ids a decoy or filler must never be (stop ids)
     * @param progress how far the student's streaming has got (tokens or characters), read at each call
     */
    ScriptedModel(NDManager manager, int vocab, int[] script, Set<Integer> avoid, IntSupplier progress) {
        this.manager = manager;
        this.vocab = vocab;
        this.script = script.clone();
        this.avoid = avoid;
        this.progress = progress;
    }

    @Override
    public NDArray forward(NDArray inputIds) {
        if (inputIds == null) {
            throw new IllegalArgumentException("forward got null instead of token ids");
        }
        Shape shape = inputIds.getShape();
        if (shape.dimension() != 2 || shape.get(0) != 1 || shape.get(1) < 1) {
            throw new IllegalArgumentException("forward takes the ids of one sequence as [1, seqLen], got shape " + shape);
        }
        if (!inputIds.getDataType().isInteger()) {
            throw new IllegalArgumentException("forward takes integer token ids (INT32), got " + inputIds.getDataType());
        }
        int len = (int) shape.get(1);
        int call = inputs.size();
        inputs.add(inputIds.toType(DataType.INT32, false).toIntArray());
        progressAtCall.add(progress.getAsInt());
        int target = call < script.length ? script[call] : valid(call * 31 + 5, -1);
        float[] logits = new float[len * vocab];
        for (int i = 0; i < logits.length; i++) {
            // Small, irregular background scores: no accidental ties with the peaks.
            logits[i] = (Math.floorMod(i * 7919 + call * 104_729, 2000) - 1000) / 1000f;
        }
        int[] rows = new int[len];
        for (int r = 0; r < len - 1; r++) {
            int decoy = valid(target + 1 + 7 * r + 3 * call, target);
            logits[r * vocab + decoy] = DECOY_PEAK;
            rows[r] = decoy;
        }
        logits[(len - 1) * vocab + target] = LAST_ROW_PEAK;
        rows[len - 1] = target;
        favourites.add(rows);
        return manager.create(logits, new Shape(1, len, vocab));
    }

    /** The first id at or after {@code from} (modulo the vocabulary) that is neither avoided nor {@code not}. */
    private int valid(int from, int not) {
        int id = Math.floorMod(from, vocab);
        while (avoid.contains(id) || id == not) {
            id = (id + 1) % vocab;
        }
        return id;
    }

    /** The tokens a correct loop generates: the script up to its first stop id or the limit. */
    static int[] expected(int[] script, Set<Integer> stops, int maxNewTokens) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < maxNewTokens && k < script.length && !stops.contains(script[k]); k++) {
            out.add(script[k]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
