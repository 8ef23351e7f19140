package dev.tinyvllm.steps.week1.generate.driver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.host.fixtures.Recorder;
import dev.tinyvllm.student.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A stand-in model for testing a generation loop on its own, run in the student JVM beside the
 * student's loop. At its k-th call the last row of the logits favours the k-th token of a script, and
 * every earlier row favours a decoy with a higher score, so a loop that reads the wrong row, or takes
 * the maximum of the whole array, picks a decoy. It records what each call received and how far the
 * student's streaming had got by then; what those recordings mean is for the judge to decide.
 *
 * <p>Everything here is public knowledge: the script is whatever the judge hands it.
 */
public final class ScriptedModel implements LanguageModel {

    private static final float LAST_ROW_PEAK = 5f;
    private static final float DECOY_PEAK = 8f;

    private final NDManager manager;
    private final int vocab;
    private final int[] script;
    private final Set<Integer> avoid;
    private final Recorder progress;
    private final List<int[]> inputs = new ArrayList<>();
    private final List<Integer> progressAtCall = new ArrayList<>();
    private final List<int[]> favourites = new ArrayList<>();

    /**
     * @param manager where the logits are made (the check's manager, which outlives the student's loop)
     * @param script the token the last row favours at each call; past its end, a filler token
     * @param avoid ids a decoy or filler must never be (stop ids)
     * @param progress the recorder the student's loop streams into, read at each call
     */
    public ScriptedModel(NDManager manager, int vocab, int[] script, Set<Integer> avoid, Recorder progress) {
        if (vocab < 2 || avoid.size() >= vocab - 1) {
            throw new IllegalArgumentException("a vocabulary of " + vocab + " leaves no room for decoys");
        }
        this.manager = manager;
        this.vocab = vocab;
        this.script = script.clone();
        this.avoid = Set.copyOf(avoid);
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
        int[] ids;
        try (NDArray asInts = inputIds.toType(DataType.INT32, true)) {
            ids = asInts.toIntArray();
        }
        int call;
        synchronized (this) {
            call = inputs.size();
            inputs.add(ids);
            progressAtCall.add(progress.count());
        }
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
        synchronized (this) {
            favourites.add(rows);
        }
        return manager.create(logits, new Shape(1, len, vocab));
    }

    /** The ids each call received, in call order. */
    public synchronized List<int[]> inputs() {
        return copies(inputs);
    }

    /** How many values the recorder held when each call began. */
    public synchronized List<Integer> progressAtCall() {
        return List.copyOf(progressAtCall);
    }

    /** For each call, the token each row of its logits favours (the last row's is the script's). */
    public synchronized List<int[]> favourites() {
        return copies(favourites);
    }

    /** The first id at or after {@code from} (modulo the vocabulary) that is neither avoided nor {@code not}. */
    private int valid(int from, int not) {
        int id = Math.floorMod(from, vocab);
        while (avoid.contains(id) || id == not) {
            id = (id + 1) % vocab;
        }
        return id;
    }

    private static List<int[]> copies(List<int[]> rows) {
        List<int[]> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(r.clone()));
        return out;
    }
}
