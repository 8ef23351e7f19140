package dev.tinyvllm.curriculum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A step's Socratic guide, {@code prompts/steps/<id>.md}, read by the tutor as prose and by code
 * for its parts, its questions per diagnostic tag and its reflection questions.
 *
 * <p>Format: {@code ## Parts} holds {@code ### part-id: Title} sections with a {@code Signs:} line
 * and bullet questions; {@code ## Tags} holds {@code ### TAG} sections with bullet questions, the
 * first being the one a check report shows, the rest climbing the hint ladder; {@code ## Situations}
 * holds the same for failures that carry no tag (an exception, a timeout, a compile error...);
 * {@code ## Reflection} is a bullet list.
 */
public record StepGuide(String stepId, String text, List<Part> parts, Map<String, List<String>> tagQuestions,
        Map<String, List<String>> situationQuestions, List<String> reflection) {

    /** A part of the exercise, in the order a student meets them. */
    public record Part(String id, String title, String signs, List<String> questions) {}

    public static StepGuide load(Step step) {
        return parse(step.id(), Resources.requireText(step.guideResource()));
    }

    public static StepGuide parse(String stepId, String markdown) {
        List<Part> parts = new ArrayList<>();
        Map<String, List<String>> tags = new LinkedHashMap<>();
        Map<String, List<String>> situations = new LinkedHashMap<>();
        List<String> reflection = new ArrayList<>();
        String section = "";
        String heading = null;
        String signs = "";
        List<String> bullets = new ArrayList<>();
        for (String raw : (markdown + "\n## end").split("\n")) {
            String line = raw.strip();
            boolean newSection = line.startsWith("## ");
            boolean newItem = line.startsWith("### ");
            if ((newSection || newItem) && heading != null) {
                if (section.equals("parts")) {
                    parts.add(part(heading, signs, bullets));
                } else if (section.equals("tags")) {
                    tags.put(heading, List.copyOf(bullets));
                } else if (section.equals("situations")) {
                    situations.put(heading, List.copyOf(bullets));
                }
                heading = null;
            }
            if (newSection) {
                section = line.substring(3).strip().toLowerCase(java.util.Locale.ROOT);
                bullets = new ArrayList<>();
            } else if (newItem) {
                heading = line.substring(4).strip();
                signs = "";
                bullets = new ArrayList<>();
            } else if (line.startsWith("- ")) {
                if (section.equals("reflection")) {
                    reflection.add(line.substring(2).strip());
                } else {
                    bullets.add(line.substring(2).strip());
                }
            } else if (line.startsWith("Signs:")) {
                signs = line.substring("Signs:".length()).strip();
            }
        }
        return new StepGuide(stepId, markdown, List.copyOf(parts), Map.copyOf(tags), Map.copyOf(situations),
                List.copyOf(reflection));
    }

    private static Part part(String heading, String signs, List<String> bullets) {
        int colon = heading.indexOf(':');
        String id = colon < 0 ? heading : heading.substring(0, colon).strip();
        String title = colon < 0 ? heading : heading.substring(colon + 1).strip();
        return new Part(id, title, signs, List.copyOf(bullets));
    }

    /** The question a report shows for a tag: the first of its ladder. */
    public Optional<String> questionFor(String tag) {
        List<String> questions = tagQuestions.get(tag);
        return questions == null || questions.isEmpty() ? Optional.empty() : Optional.of(questions.get(0));
    }

    /** The question for a failure without a tag, such as TIMEOUT or COMPILE_ERROR. */
    public Optional<String> questionForSituation(String situation) {
        List<String> questions = situationQuestions.get(situation);
        return questions == null || questions.isEmpty() ? Optional.empty() : Optional.of(questions.get(0));
    }

    public Optional<Part> part(String id) {
        return parts.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
