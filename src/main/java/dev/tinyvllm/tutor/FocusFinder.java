package dev.tinyvllm.tutor;

import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StepReport;
import dev.tinyvllm.check.StudentCompiler;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepFunction;
import dev.tinyvllm.curriculum.StepGuide;
import dev.tinyvllm.curriculum.source.FunctionCode;
import dev.tinyvllm.curriculum.source.JavaSource;
import dev.tinyvllm.curriculum.source.PartDetector;
import dev.tinyvllm.curriculum.source.StudentFiles;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Works out where the student is: from the last check when there is one (its diagnosis tags first,
 * then failures without a tag), and from their source (which of the guide's parts each function
 * already has) for functions the check could not judge yet.
 */
public final class FocusFinder {

    /** Questions of our own for a student whose code looks complete but has not been checked. */
    private static final List<String> READY_QUESTIONS = List.of(
            "Your functions seem to have every part now: before you type /check, which case do you expect to be the "
                    + "hardest to get right, and why?",
            "If you run /check now, which function do you expect to pass first, and what would a failure there tell "
                    + "you?",
            "Which small input could you work out by hand to compare with what your code prints, before you run "
                    + "/check?");

    private final Step step;
    private final StepGuide guide;
    private final PartDetector detector;

    public FocusFinder(Step step, StepGuide guide, PartDetector detector) {
        this.step = step;
        this.guide = guide;
        this.detector = detector;
    }

    /**
     * @param files the student's current sources; null outside a workspace
     * @param last the last check of this step in this session, null when none ran
     */
    public Focus find(StudentFiles files, StepReport last) {
        if (files == null) {
            StepGuide.Part first = guide.parts().get(0);
            return new Focus(Focus.Kind.NO_WORKSPACE, "no-workspace", null, first.title(), first.questions(),
                    "There is no workspace here, so I cannot see your code or run checks (`tutor init DIR` makes one);"
                            + " we can still talk about the first part, \"" + first.title() + "\".");
        }
        JavaSource source = files.parsed();
        if (last != null) {
            Optional<Focus> fromCheck = fromCheck(last, source);
            if (fromCheck.isPresent()) {
                return fromCheck.get();
            }
        }
        for (StepFunction f : step.functions()) {
            Optional<Focus> missing = fromSource(f, source);
            if (missing.isPresent()) {
                return missing.get();
            }
        }
        return new Focus(Focus.Kind.READY_TO_CHECK, "ready", null, "Run the checks", READY_QUESTIONS,
                "Your code seems to have every part of each function" + (last == null ? ", and no check has run in "
                        + "this session yet." : "."));
    }

    private Optional<Focus> fromCheck(StepReport report, JavaSource source) {
        if (report.succeeded()) {
            return Optional.of(new Focus(Focus.Kind.PASSED, "passed", null, "Reflect", guide.reflection(),
                    "Every check of " + step.id() + " passes" + (report.skipped() > 0 ? " (" + report.skipped()
                            + " could not run here and were skipped)" : "") + ". Well done."));
        }
        if (!report.compile().ok()) {
            String where = report.compile().messages().stream().filter(m -> m.kind().equals("ERROR")).findFirst()
                    .map(FocusFinder::location).orElse("");
            return Optional.of(situation("COMPILE_ERROR", null,
                    "Your code does not compile yet" + (where.isEmpty() ? "." : ": the compiler stops at " + where + ".")));
        }
        for (StepFunction f : step.functions()) {
            List<CheckResult> ran = report.checks().stream()
                    .filter(c -> c.function().equals(f.name()) && c.status() != Outcome.SKIPPED).toList();
            if (ran.isEmpty() || ran.stream().allMatch(c -> c.status() == Outcome.PASS)) {
                continue;
            }
            List<CheckResult> failing = ran.stream()
                    .filter(c -> c.status() == Outcome.FAIL || c.status() == Outcome.ERROR).toList();
            if (failing.isEmpty()) {
                // Not implemented yet: the source says which part comes first.
                Optional<Focus> missing = fromSource(f, source);
                if (missing.isPresent()) {
                    return missing;
                }
                continue;
            }
            Optional<String> tag = mostUrgentTag(failing);
            CheckResult first = failing.get(0);
            if (tag.isPresent()) {
                CheckResult tagged = failing.stream().filter(c -> c.tags().contains(tag.get())).findFirst().orElse(first);
                return Optional.of(new Focus(Focus.Kind.TAG, "tag:" + tag.get() + ":" + f.name(), f.name(), tag.get(),
                        guide.tagQuestions().getOrDefault(tag.get(), List.of()),
                        "In your last check, " + display(f) + " fails `" + caseName(tagged) + "`, and the checker's "
                                + "diagnosis is " + tag.get() + "."));
            }
            if (first.status() == Outcome.ERROR) {
                String situation = situationOf(first);
                return Optional.of(situation(situation, f.name(), "In your last check, " + display(f) + " "
                        + errorWords(situation) + " in `" + caseName(first) + "`."));
            }
            Optional<Focus> missing = fromSource(f, source);
            if (missing.isPresent()) {
                return missing;
            }
            return Optional.of(situation("VALUES_DIFFER", f.name(), "In your last check, " + display(f)
                    + " gives values that differ from libtorch in `" + caseName(first) + "`" + where(first) + "."));
        }
        return Optional.empty();
    }

    /** The first part a function lacks, judged from the source. */
    private Optional<Focus> fromSource(StepFunction f, JavaSource source) {
        String member = FunctionCode.member(f.name());
        if (!source.has(member)) {
            return part(f, f.firstPart(), "I cannot find " + display(f) + " in your files; it starts with the part");
        }
        Optional<String> next = nextPart(f, source);
        if (source.isSkeleton(member)) {
            String p = next.orElse(f.firstPart());
            String so = p.equals(f.firstPart()) ? "it starts with the part" : "the part it needs next is";
            return part(f, p, capitalised(display(f)) + " still throws the skeleton's exception, so " + so);
        }
        return next.flatMap(p -> part(f, p, "In " + display(f) + " I do not see the part"));
    }

    /**
     * The first of the function's parts the detector does not see in the student's code. A function
     * that still throws the skeleton's exception starts at its first part, or later when its class
     * already has the parts before (a constructor that prepares the tables, say).
     */
    Optional<String> nextPart(StepFunction f, JavaSource source) {
        List<String> stepFunctions = step.functions().stream().map(StepFunction::name).toList();
        FunctionCode code = FunctionCode.of(source, f.name(), stepFunctions);
        List<String> parts = detector.partsOf(f.name());
        if (source.isSkeleton(FunctionCode.member(f.name()))) {
            int first = parts.indexOf(f.firstPart());
            if (first < 0) {
                return Optional.of(f.firstPart());
            }
            parts = parts.subList(first, parts.size());
        }
        return parts.stream().filter(p -> !detector.has(p, code)).findFirst();
    }

    private Optional<Focus> part(StepFunction f, String partId, String lead) {
        String after = lead.startsWith("In ") ? " yet." : ".";
        return guide.part(partId).map(p -> new Focus(Focus.Kind.PART, "part:" + partId + ":" + f.name(), f.name(),
                p.title(), p.questions(), lead + " \"" + p.title() + "\"" + after));
    }

    /**
     * A function's name for the student: the method in backticks, its variant in words around it
     * ({@code the half-split case of `RoPE.apply`}), never as something that reads like a call.
     */
    static String display(StepFunction f) {
        String member = FunctionCode.member(f.name());
        String variant = f.name().substring(member.length()).strip();
        if (variant.startsWith("(") && variant.endsWith(")")) {
            variant = variant.substring(1, variant.length() - 1).strip();
        }
        return variant.isEmpty() ? "`" + member + "`" : "the " + variant + " case of `" + member + "`";
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private Focus situation(String situation, String function, String evidence) {
        List<String> questions = guide.situationQuestions().getOrDefault(situation,
                guide.situationQuestions().getOrDefault("EXCEPTION", List.of()));
        return new Focus(Focus.Kind.SITUATION, "situation:" + situation + ":" + function, function, situation, questions,
                evidence);
    }

    /** The diagnosis the guide lists first: it lists them as they should be taken (shape and NaN, then data flow). */
    private Optional<String> mostUrgentTag(List<CheckResult> failing) {
        Set<String> tags = new LinkedHashSet<>();
        failing.forEach(c -> tags.addAll(c.tags()));
        String text = guide.text();
        return tags.stream().filter(guide.tagQuestions()::containsKey).min(Comparator.comparingInt(tag -> {
            int at = text.indexOf("### " + tag + "\n");
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
    }

    /** The situation of an error, from the question the checker attached (it is the situation's first). */
    private String situationOf(CheckResult error) {
        for (Map.Entry<String, List<String>> e : guide.situationQuestions().entrySet()) {
            if (!e.getValue().isEmpty() && e.getValue().get(0).equals(error.question())) {
                return e.getKey();
            }
        }
        String m = error.message() == null ? "" : error.message().toLowerCase(Locale.ROOT);
        if (m.contains("did not finish")) {
            return "TIMEOUT";
        }
        if (m.contains("memory")) {
            return "MEMORY";
        }
        if (m.contains("system.exit")) {
            return "EXIT";
        }
        if (m.contains("crash")) {
            return "CRASH";
        }
        return "EXCEPTION";
    }

    private static String errorWords(String situation) {
        return switch (situation) {
            case "TIMEOUT" -> "ran past its time limit";
            case "MEMORY" -> "used more memory than allowed";
            case "EXIT" -> "ended the program";
            case "CRASH" -> "crashed the JVM";
            default -> "threw an exception";
        };
    }

    private static String where(CheckResult c) {
        if (c.where() == null || c.where().isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(", most at ");
        c.where().forEach((axis, index) -> s.append(axis).append(' ').append(index).append(", "));
        return s.substring(0, s.length() - 2);
    }

    private static String caseName(CheckResult c) {
        return c.id().substring(c.id().indexOf('.') + 1);
    }

    private static String location(StudentCompiler.Message m) {
        String file = m.file() == null ? "" : m.file().replaceAll(".*/", "");
        return file.isEmpty() ? "" : file + " line " + m.line();
    }
}
