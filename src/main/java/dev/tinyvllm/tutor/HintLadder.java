package dev.tinyvllm.tutor;

import dev.tinyvllm.transcript.TranscriptEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The hint ladder of the current focus: 0 concept, 1 targeted question, 2 experiment. It climbs one
 * rung per attempt on the same focus (a check that fails the same way again, a reply to a question
 * already asked at this rung, {@code /hint}) and starts again at the concept rung when the focus
 * changes. Every move is returned as a transcript event.
 */
public final class HintLadder {

    public static final int TOP = 2;
    private static final String[] NAMES = {"concept", "targeted question", "experiment"};

    private String stepId;
    private String focusKey;
    private int level;
    private final Map<String, Integer> asked = new HashMap<>();

    public HintLadder(String stepId) {
        this.stepId = stepId;
    }

    public int level() {
        return level;
    }

    public static String name(int level) {
        return NAMES[Math.min(level, TOP)];
    }

    /** Follows the focus; a new focus starts at the concept rung. */
    public Optional<TranscriptEvent.HintLevel> follow(String step, Focus focus) {
        if (focus.key().equals(focusKey) && step.equals(stepId)) {
            return Optional.empty();
        }
        boolean first = focusKey == null;
        stepId = step;
        focusKey = focus.key();
        int before = level;
        level = 0;
        asked.clear();
        if (first && before == 0) {
            return Optional.empty();
        }
        return Optional.of(new TranscriptEvent.HintLevel(stepId, 0, "new focus: " + focus.key()));
    }

    /** One rung up, unless at the top already. */
    public Optional<TranscriptEvent.HintLevel> climb(String reason) {
        if (level >= TOP) {
            return Optional.empty();
        }
        level++;
        return Optional.of(new TranscriptEvent.HintLevel(stepId, level, reason));
    }

    /** Records that the question of the current rung was put to the student. */
    public void markAsked() {
        asked.merge(focusKey + "#" + level, 1, Integer::sum);
    }

    /** How often the current rung's question was asked on this focus. */
    public int timesAsked() {
        return asked.getOrDefault(focusKey + "#" + level, 0);
    }

    public String focusKey() {
        return focusKey;
    }
}
