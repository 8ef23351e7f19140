package dev.tinyvllm.tutor.guard;

/** Whether a message asks the student something: its last sentence is a question. */
public final class Questions {

    private Questions() {}

    public static boolean asksQuestion(String message) {
        String text = message.strip();
        int end = text.length();
        // Closing quotes, brackets and emphasis may follow the question mark.
        while (end > 0 && ")]\"'*_`»”’ ".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return end > 0 && (text.charAt(end - 1) == '?' || text.charAt(end - 1) == '？');
    }
}
