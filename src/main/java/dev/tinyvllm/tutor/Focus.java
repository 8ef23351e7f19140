package dev.tinyvllm.tutor;

import java.util.List;

/**
 * What the tutor talks about next: one part, one diagnosis or one situation, with the questions
 * that climb its hint ladder.
 *
 * @param key identifies the focus; the hint ladder starts again at the concept rung when it changes
 * @param function the student's function it is about, null when none
 * @param questions the ladder (concept, targeted question, experiment), or the reflection questions
 *     once the step passes
 * @param evidence one sentence saying what the tutor saw (the check, the code), no code in it
 */
public record Focus(Kind kind, String key, String function, String title, List<String> questions, String evidence) {

    public enum Kind {
        /** No workspace: the tutor sees no code and runs no check. */
        NO_WORKSPACE,
        /** A part of the step the student's code does not have yet. */
        PART,
        /** A diagnosis of the last check. */
        TAG,
        /** A failure without a diagnosis: compile error, exception, timeout... */
        SITUATION,
        /** Every part seems written and no check says otherwise. */
        READY_TO_CHECK,
        /** Every check of the step passes. */
        PASSED
    }

    public Focus {
        questions = List.copyOf(questions);
    }
}
