package dev.tinyvllm.tutor;

/** Where a session writes: the tutor's streamed answer, and lines outside the tutor's voice. */
public interface TutorOutput {

    /** The next piece of the tutor's answer, shown as soon as it is given. */
    void tutorText(String chunk);

    /** The answer is complete. */
    void tutorEnd();

    /** A line that is not the tutor speaking: a note, a report, a status. */
    void note(String text);
}
