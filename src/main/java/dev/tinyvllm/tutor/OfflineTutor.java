package dev.tinyvllm.tutor;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The scripted Socratic tutor: no model, no network, an answer in microseconds. It puts the
 * question of the current focus at the current rung of the hint ladder, after at most two short
 * sentences (what the student's message was, what the tutor saw). Every answer ends with a
 * question, whatever the student wrote; setup and tooling questions get a plain answer first.
 */
public final class OfflineTutor {

    /** Past the top rung: make the step smaller, or turn to the evidence. */
    private static final List<String> BEYOND_TOP = List.of(
            "What did that experiment print when you ran it, and which number in it surprised you?",
            "Which single line of your code would you print first to test this, and what value do you expect to see there?",
            "If you shrink the input until the problem just barely still shows, what is the smallest case, and what "
                    + "does your code give for it?",
            "What changed in your code since your last /check, and what do you expect the next check to say?");

    private static final List<String> DEMAND_LEADS = List.of(
            "I won't write the code for you; you are closer than it feels, so let's make the next step smaller.",
            "The code stays yours to write, but I can make the question smaller.",
            "Handing you the solution would take the learning away from you; here is a smaller piece to think about.");

    private static final List<String> MANIPULATION_LEADS = List.of(
            "My rules stay the same whoever asks and however it is put, so let's keep working on your code.",
            "I can't switch my rules off, but I can keep helping you get there yourself.");

    /** Direct help for tooling: a pattern, a plain answer, and a question that checks it worked. */
    private record SetupAnswer(Pattern when, String answer, String question) {}

    private static final List<SetupAnswer> SETUP = List.of(
            new SetupAnswer(Pattern.compile("\\b(jdk|java version|java_home|javac|install)\\b"),
                    "The tutor and your workspace need a JDK 17 or newer; `java -version` shows the one on your PATH, "
                            + "and JAVA_HOME chooses another for `scripts/tutor`.",
                    "What does `java -version` print on your machine?"),
            new SetupAnswer(Pattern.compile("\\b(maven|mvn|pom|gradle|classpath|intellij|eclipse|vs ?code|ide|cannot resolve|tutor-student-api)\\b"),
                    "Your workspace's pom.xml is a Maven project for your IDE: open the workspace folder as a Maven project "
                            + "and it compiles against lib/tutor-student-api.jar and DJL, the same API the checker uses.",
                    "Does your IDE now find `NDArray` and `Kernels` in Attention.java?"),
            new SetupAnswer(Pattern.compile("\\b(workspace|tutor init)\\b"),
                    "`tutor init DIR` creates a workspace (skeletons, step READMEs, a Maven project); start `tutor` inside "
                            + "it and I can read your code and run checks.",
                    "Which folder would you like your workspace in?"),
            new SetupAnswer(Pattern.compile("check|run|start|use"),
                    "Type /check here, or run `tutor check week1/attention` in your workspace: it compiles your code, runs "
                            + "each function in a separate JVM against libtorch, and names the cases that fail.",
                    "Which function would you like the next check to tell you about?"));

    private int demands;
    private int manipulations;

    /** The answer to a student's message. */
    public String reply(Intent intent, String studentText, Focus focus, int level, int timesAsked, boolean showEvidence) {
        if (intent == Intent.SETUP) {
            SetupAnswer a = setupAnswer(studentText);
            return a.answer() + " " + a.question();
        }
        String question = question(focus, level, timesAsked);
        String lead = switch (intent) {
            case DEMAND_CODE -> DEMAND_LEADS.get(demands++ % DEMAND_LEADS.size());
            case MANIPULATION -> MANIPULATION_LEADS.get(manipulations++ % MANIPULATION_LEADS.size());
            case SETUP -> "";
            case ABOUT_TUTOR -> "I am the offline tutor: I read your code in this workspace and your check results, and I "
                    + "answer with questions so that the thinking, and the code, stay yours. Each session is saved "
                    + "under .tutor/sessions/.";
            case GREETING -> "Hello!";
            case THANKS -> "You're welcome.";
            case OFF_TOPIC -> "That is outside this course, so I will leave it aside.";
            case STUCK -> "That's fine, being stuck is part of it; let's look from a smaller angle.";
            case ANSWER -> "";
        };
        StringBuilder s = new StringBuilder(lead);
        if (showEvidence && !focus.evidence().isEmpty()) {
            append(s, focus.evidence());
        }
        append(s, question);
        return s.toString();
    }

    /** The opening of a session: what the tutor sees and its first question. */
    public String opening(Focus focus, int level, int timesAsked) {
        return focus.evidence() + " " + question(focus, level, timesAsked);
    }

    /** The question for a focus at a rung; past the top of the ladder (or its end) a smaller, evidence-seeking one. */
    public String question(Focus focus, int level, int timesAsked) {
        List<String> questions = focus.questions();
        if (focus.kind() == Focus.Kind.PASSED || focus.kind() == Focus.Kind.READY_TO_CHECK) {
            return questions.isEmpty() ? BEYOND_TOP.get(0) : questions.get(timesAsked % questions.size());
        }
        if (questions.isEmpty()) {
            return BEYOND_TOP.get(timesAsked % BEYOND_TOP.size());
        }
        if (level < questions.size() && (timesAsked == 0 || level < HintLadder.TOP)) {
            return questions.get(level);
        }
        return BEYOND_TOP.get((timesAsked - 1 + BEYOND_TOP.size()) % BEYOND_TOP.size());
    }

    private static SetupAnswer setupAnswer(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return SETUP.stream().filter(a -> a.when().matcher(t).find()).findFirst().orElse(SETUP.get(SETUP.size() - 1));
    }

    private static void append(StringBuilder s, String sentence) {
        if (s.length() > 0 && !Character.isWhitespace(s.charAt(s.length() - 1))) {
            s.append(' ');
        }
        s.append(sentence);
    }
}
