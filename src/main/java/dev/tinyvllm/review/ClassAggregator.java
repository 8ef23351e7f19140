package dev.tinyvllm.review;

import dev.tinyvllm.review.ClassReview.AnswerRequests;
import dev.tinyvllm.review.ClassReview.StepSummary;
import dev.tinyvllm.review.ClassReview.StudentProgress;
import dev.tinyvllm.review.ClassReview.TagCount;
import dev.tinyvllm.review.ClassReview.Totals;
import dev.tinyvllm.review.SessionReview.Counted;
import dev.tinyvllm.review.SessionReview.StepActivity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Sums sessions up over a class: per step, per student, and in all. */
public final class ClassAggregator {

    private final List<String> courseOrder;

    /** @param courseOrder step ids in the course's order; other steps follow, sorted by name */
    public ClassAggregator(List<String> courseOrder) {
        this.courseOrder = List.copyOf(courseOrder);
    }

    /** @param sessions in the order they happened */
    public ClassReview aggregate(List<SessionReview> sessions) {
        return new ClassReview(totals(sessions), steps(sessions), answerRequests(sessions), questions(sessions),
                guardByReason(sessions), errorsBySource(sessions));
    }

    private Totals totals(List<SessionReview> sessions) {
        long duration = 0;
        int checks = 0;
        int messages = 0;
        int asked = 0;
        int guard = 0;
        int fallbacks = 0;
        int flagged = 0;
        int answers = 0;
        int errors = 0;
        Set<String> students = new HashSet<>();
        for (SessionReview s : sessions) {
            students.add(s.student());
            duration += s.durationMs();
            checks += s.stepActivity().stream().mapToInt(StepActivity::checks).sum();
            messages += s.tutor().messages();
            asked += s.tutor().askedQuestion();
            guard += s.guard().size();
            fallbacks += (int) s.guard().stream().filter(g -> "fallback".equals(g.action())).count();
            flagged += (int) s.flagged().stream().map(SessionReview.FlaggedMessage::seq).distinct().count();
            answers += s.answerRequests();
            errors += s.errors().size();
        }
        return new Totals(sessions.size(), students.size(), duration, checks, messages, asked,
                messages == 0 ? null : (double) asked / messages, guard, fallbacks, flagged, answers, errors);
    }

    private List<StepSummary> steps(List<SessionReview> sessions) {
        // step -> student -> that student's activities on the step, in session order
        Map<String, Map<String, List<StepActivity>>> byStep = new HashMap<>();
        for (SessionReview s : sessions) {
            for (StepActivity a : s.stepActivity()) {
                byStep.computeIfAbsent(a.step(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(s.student(), k -> new ArrayList<>()).add(a);
            }
        }
        List<StepSummary> out = new ArrayList<>();
        for (String step : ordered(byStep.keySet())) {
            Map<String, List<StepActivity>> students = byStep.get(step);
            List<StudentProgress> progress = new ArrayList<>();
            List<Integer> attemptsOfPassed = new ArrayList<>();
            List<Long> timeOfPassed = new ArrayList<>();
            List<Integer> atLevel = new ArrayList<>(List.of(0, 0, 0));
            Map<String, int[]> tags = new TreeMap<>(); // tag -> {students, runs}
            int checks = 0;
            int hints = 0;
            int answers = 0;
            for (Map.Entry<String, List<StepActivity>> e : students.entrySet()) {
                int attempts = 0;
                long time = 0;
                boolean passed = false;
                Integer maxHint = null;
                Set<String> studentTags = new HashSet<>();
                for (StepActivity a : e.getValue()) {
                    checks += a.checks();
                    hints += a.hintRequests();
                    answers += a.answerRequests();
                    if (a.maxHintLevel() != null) {
                        maxHint = maxHint == null ? a.maxHintLevel() : Math.max(maxHint, a.maxHintLevel());
                    }
                    a.tags().forEach((tag, runs) -> {
                        tags.computeIfAbsent(tag, k -> new int[2])[1] += runs;
                        studentTags.add(tag);
                    });
                    if (!passed) {
                        passed = a.attemptsToPass() != null;
                        attempts += passed ? a.attemptsToPass() : a.checks();
                        time += passed ? a.timeToPassMs() : a.activeMs();
                    }
                }
                studentTags.forEach(tag -> tags.get(tag)[0]++);
                if (maxHint != null && maxHint >= 0) {
                    while (atLevel.size() <= maxHint) {
                        atLevel.add(0);
                    }
                    atLevel.set(maxHint, atLevel.get(maxHint) + 1);
                }
                if (passed) {
                    attemptsOfPassed.add(attempts);
                    timeOfPassed.add(time);
                }
                progress.add(new StudentProgress(e.getKey(), passed, attempts, time));
            }
            List<TagCount> tagCounts = new ArrayList<>();
            tags.forEach((tag, c) -> tagCounts.add(new TagCount(tag, c[0], c[1])));
            tagCounts.sort(Comparator.comparingInt(TagCount::students).reversed()
                    .thenComparing(Comparator.comparingInt(TagCount::runs).reversed())
                    .thenComparing(TagCount::tag));
            out.add(new StepSummary(step, students.size(), attemptsOfPassed.size(), Stats.medianOfCounts(attemptsOfPassed),
                    Stats.median(timeOfPassed), checks, List.copyOf(atLevel), hints, answers, List.copyOf(tagCounts),
                    List.copyOf(progress)));
        }
        return List.copyOf(out);
    }

    private List<AnswerRequests> answerRequests(List<SessionReview> sessions) {
        Map<String, Integer> requests = new HashMap<>();
        Map<String, Set<String>> students = new HashMap<>();
        for (SessionReview s : sessions) {
            for (StepActivity a : s.stepActivity()) {
                if (a.answerRequests() > 0) {
                    requests.merge(a.step(), a.answerRequests(), Integer::sum);
                    students.computeIfAbsent(a.step(), k -> new HashSet<>()).add(s.student());
                }
            }
        }
        List<AnswerRequests> out = new ArrayList<>();
        for (String step : ordered(requests.keySet())) {
            out.add(new AnswerRequests(step, requests.get(step), students.get(step).size()));
        }
        // Stable sort: ties keep the course order.
        out.sort(Comparator.comparingInt(AnswerRequests::requests).reversed()
                .thenComparing(Comparator.comparingInt(AnswerRequests::students).reversed()));
        return List.copyOf(out);
    }

    private static List<Counted> questions(List<SessionReview> sessions) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> wording = new HashMap<>();
        Map<String, Set<String>> students = new HashMap<>();
        for (SessionReview s : sessions) {
            for (Counted q : s.questions()) {
                String key = StudentMessages.normalize(q.text());
                counts.merge(key, q.count(), Integer::sum);
                wording.putIfAbsent(key, q.text());
                students.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(s.student());
            }
        }
        List<Counted> out = new ArrayList<>();
        counts.forEach((key, count) -> out.add(new Counted(wording.get(key), count, students.get(key).size())));
        out.sort(Comparator.comparingInt(Counted::count).reversed()
                .thenComparing(Comparator.comparingInt(Counted::students).reversed()));
        return List.copyOf(out);
    }

    private static Map<String, Integer> guardByReason(List<SessionReview> sessions) {
        Map<String, Integer> out = new TreeMap<>();
        sessions.forEach(s -> s.guard().forEach(g -> out.merge(String.valueOf(g.reason()), 1, Integer::sum)));
        return out;
    }

    private static Map<String, Integer> errorsBySource(List<SessionReview> sessions) {
        Map<String, Integer> out = new TreeMap<>();
        sessions.forEach(s -> s.errors().forEach(e -> out.merge(String.valueOf(e.source()), 1, Integer::sum)));
        return out;
    }

    private List<String> ordered(Set<String> steps) {
        List<String> out = new ArrayList<>(steps);
        out.sort(Comparator.comparingInt((String s) -> {
            int i = courseOrder.indexOf(s);
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(Comparator.naturalOrder()));
        return out;
    }
}
