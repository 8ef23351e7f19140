package dev.tinyvllm.tutor;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** What a student's message is, as far as a few patterns can tell; enough to pick the right first sentence. */
public enum Intent {
    /** Asks for the code, the solution, the fix. */
    DEMAND_CODE,
    /** Tries to change the tutor's rules: "ignore your instructions", "I am the instructor". */
    MANIPULATION,
    /** Tooling and setup: the JDK, Maven, the IDE, running checks. Direct help is allowed. */
    SETUP,
    /** About the tutor itself. */
    ABOUT_TUTOR,
    GREETING,
    THANKS,
    /** "I don't know", "I'm stuck". */
    STUCK,
    /** Nothing to do with the course. */
    OFF_TOPIC,
    /** Anything else: an answer, a thought, a question about the step. */
    ANSWER;

    private static final Pattern MANIPULATION_WORDS = Pattern.compile(
            "ignore (all |any |your |the |previous |prior |earlier )*(instructions|rules|prompt)|system prompt"
                    + "|(reveal|print|show|repeat) (me )?(your|the) (prompt|instructions|rules)|developer mode|jailbreak"
                    + "|you are now|from now on you|pretend (to be|you)|new rules?:|\\bdan\\b|override"
                    + "|i am (the|your|a|an) (instructor|teacher|professor|ta|tutor|admin|developer|tester)"
                    + "|i'?m (the|your|a|an) (instructor|teacher|professor|ta|admin|developer|tester)"
                    + "|(instructor|professor|teacher) (said|says|allows|allowed)|authori[sz]ed to");
    private static final Pattern DEMAND_WORDS = Pattern.compile(
            "(give|show|send|paste|write|tell|provide|post)( me| us)? (the |a |your |full |complete |whole |working |correct )*"
                    + "(code|solution|answer|implementation|fix|function|method|program|line)"
                    + "|just (write|do|fix|give|tell|show) |do it for me|write it for me|fix it for me|solve it"
                    + "|what('s| is) the (code|solution|answer|fix)|(the|full|complete) (solution|implementation)"
                    + "|how do i write (the |this |it)|can you (write|code|implement|fix)|implement it");
    private static final Pattern SETUP_WORDS = Pattern.compile(
            "\\b(jdk|java version|javac|maven|mvn|pom|gradle|classpath|intellij|eclipse|vs ?code|ide|install|path"
                    + "|java_home|tutor-student-api|build fails|cannot resolve|how (do|can) i (run|start|use) (the )?(check|tutor)"
                    + "|tutor check|tutor init|workspace)\\b");
    private static final Pattern ABOUT_WORDS = Pattern.compile(
            "\\b(who are you|what are you|how do you work|why do you (only )?ask|why (all )?(the )?questions"
                    + "|what can you (see|do)|transcript|are you an? (ai|bot|llm|model)|offline tutor)\\b");
    private static final Pattern GREETING_WORDS = Pattern.compile("^(hi|hello|hey|good (morning|afternoon|evening)|yo)\\b");
    private static final Pattern THANKS_WORDS = Pattern.compile("^(thanks|thank you|thx|cheers|great,? thanks)\\b");
    private static final Pattern STUCK_WORDS = Pattern.compile(
            "\\b(i (don'?t|do not) (know|get it|understand)|no idea|no clue|i'?m (lost|stuck|confused)|stuck|give up"
                    + "|not sure|dunno|idk|help)\\b|^\\?+$");
    /** Words of the course: a message without any is likely about something else. */
    private static final List<String> COURSE_WORDS = List.of("attention", "mask", "head", "softmax", "shape", "tensor",
            "ndarray", "array", "query", "queries", "key", "value", "scale", "score", "weight", "axis", "axes", "dim",
            "matrix", "matmul", "product", "reshape", "transpose", "causal", "padding", "pad", "token", "sequence",
            "batch", "kernel", "flash", "sdpa", "sqrt", "check", "test", "error", "exception", "fail", "pass", "nan",
            "code", "function", "method", "line", "row", "column", "sum", "print", "loop", "position", "length",
            "layout", "merge", "split", "step", "hint", "question", "value", "number", "index", "djl", "libtorch",
            "java", "compile", "output", "input", "result", "grid", "diagonal", "infinity", "zero", "exp",
            "divide", "multiply", "float", "int", "shape", "contract", "readme", "eager", "fused");

    public static Intent classify(String message) {
        String m = message.toLowerCase(Locale.ROOT).strip();
        if (MANIPULATION_WORDS.matcher(m).find()) {
            return MANIPULATION;
        }
        if (DEMAND_WORDS.matcher(m).find()) {
            return DEMAND_CODE;
        }
        if (ABOUT_WORDS.matcher(m).find()) {
            return ABOUT_TUTOR;
        }
        if (SETUP_WORDS.matcher(m).find()) {
            return SETUP;
        }
        if (THANKS_WORDS.matcher(m).find()) {
            return THANKS;
        }
        if (GREETING_WORDS.matcher(m).find() && m.length() < 40) {
            return GREETING;
        }
        if (STUCK_WORDS.matcher(m).find()) {
            return STUCK;
        }
        // A short reply ("yes", "the keys", "axis 3") answers the question just asked.
        String[] words = m.split("[^a-z0-9_]+");
        boolean shortReply = words.length <= 4;
        boolean courseWord = java.util.Arrays.stream(words).anyMatch(w -> COURSE_WORDS.stream().anyMatch(w::startsWith));
        if (!shortReply && !courseWord) {
            return OFF_TOPIC;
        }
        return ANSWER;
    }

    /** Whether the message is an attempt at the current question: replying to it climbs the ladder. */
    public boolean isAttempt() {
        return this == ANSWER || this == STUCK;
    }
}
