package dev.tinyvllm.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.leak.ReferenceSolutions;
import dev.tinyvllm.testing.ClassTranscripts;
import dev.tinyvllm.testing.SessionFile;
import dev.tinyvllm.transcript.TranscriptEvent.TutorMessage;
import dev.tinyvllm.tutor.guard.Guard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message the review flags is one the guard stops, and the other way round: both apply one rule. */
class ReviewMatchesGuardTest {

    private static final List<String> MESSAGES = List.of(
            "What value does `mask` hold at a padded position?",
            "Which axis does your `softmax` call normalise over?",
            "Did you try printing scores.getShape() after the product?",
            "What shape does `[batch, seqLen, numHeads * headDim]` become after the split?",
            "Run `mvn -B -o verify -Dtest=AttentionTest` and tell me what you see?",
            "The fix is `scores.softmax(-1)`. Why -1?",
            "Would `softmax(-1)` do it?",
            "Here you go:\n```java\nNDArray w = scores.softmax(-1);\n```\nDoes that help?",
            "Write scores = scores.div(Math.sqrt(headDim)); before the softmax. Does it pass now?",
            "You need x.reshape(batch, seqLen, numHeads, headDim).transpose(0, 2, 1, 3) there. Clear?",
            "so weights come from scores.softmax(-1), right?",
            "Look:\n  x = 1;\n  y = 2;\nWhich runs first?",
            "First think about the shapes; then about the scale;\nWhich comes first?",
            "What does `mask.not()` give you at a padded key?");

    @TempDir
    Path dir;

    @Test
    void theReviewFlagsExactlyTheMessagesTheGuardStops() {
        SessionFile s = SessionFile.start(dir.resolve("ann"), ClassTranscripts.T0, ClassTranscripts.ATTENTION, "llm", "m");
        for (int i = 0; i < MESSAGES.size(); i++) {
            s.at(10L * (i + 1), new TutorMessage(MESSAGES.get(i), "llm", ClassTranscripts.ATTENTION, 0, true, 1, 2));
        }
        s.end(10L * (MESSAGES.size() + 1), "quit");
        SessionReview review = Reviewer.bundled().review(List.of(dir)).sessions().get(0);

        // seq 0 is the session start, so message i is seq i + 1.
        Map<Integer, Set<String>> flagged = review.flagged().stream().collect(Collectors.groupingBy(
                f -> (int) f.seq() - 1, TreeMap::new, Collectors.mapping(SessionReview.FlaggedMessage::kind, Collectors.toSet())));
        Guard guard = new Guard(ReferenceSolutions.bundled().forStep(ClassTranscripts.ATTENTION).orElseThrow());
        Map<Integer, String> stopped = new TreeMap<>();
        for (int i = 0; i < MESSAGES.size(); i++) {
            Optional<Guard.Violation> v = guard.checkContent(MESSAGES.get(i), Set.of());
            if (v.isPresent()) {
                stopped.put(i, v.get().reason().wire());
            }
        }
        assertEquals(stopped.keySet(), flagged.keySet(), "flagged " + flagged + ", stopped " + stopped);
        stopped.forEach((i, reason) -> assertTrue(flagged.get(i).contains(reason), MESSAGES.get(i) + ": " + flagged.get(i)));
        // Both kinds of leak, and clean messages, are in the sample.
        assertEquals(Set.of("code", "overlap"), Set.copyOf(stopped.values()));
        assertTrue(stopped.size() >= 6 && stopped.size() <= MESSAGES.size() - 6, stopped.toString());
        List<String> clean = new ArrayList<>(MESSAGES);
        stopped.keySet().stream().sorted((a, b) -> b - a).forEach(i -> clean.remove((int) i));
        assertTrue(clean.contains("What value does `mask` hold at a padded position?"), clean.toString());
    }
}
