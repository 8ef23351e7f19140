package dev.tinyvllm.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.curriculum.StepGuide;
import dev.tinyvllm.leak.JavaTokens;
import dev.tinyvllm.leak.ReferenceOverlap;
import dev.tinyvllm.testing.AttentionSources;
import dev.tinyvllm.tutor.guard.Guard;
import dev.tinyvllm.tutor.guard.GuardedStream;
import dev.tinyvllm.tutor.guard.Questions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The guard against the real reference solution and the real guide. */
class GuardTest {

    private static final Guard GUARD = new Guard(ReferenceOverlap.of(List.of(AttentionSources.reference()),
            List.of(AttentionSources.skeleton())));

    private static Optional<Guard.Violation> check(String message) {
        return GUARD.check(message, Set.of());
    }

    @Test
    void everyQuestionOfTheGuideAndOfTheOfflineTutorPasses() {
        Step step = Catalog.load().requireStep("week1/attention");
        StepGuide guide = StepGuide.load(step);
        List<String> all = new ArrayList<>();
        guide.parts().forEach(p -> all.addAll(p.questions()));
        guide.tagQuestions().values().forEach(all::addAll);
        guide.situationQuestions().values().forEach(all::addAll);
        all.addAll(guide.reflection());
        assertTrue(all.size() > 90, "the guide has its questions: " + all.size());
        for (String q : all) {
            assertEquals(Optional.empty(), check(q), q);
        }
    }

    @Test
    void codeInAnyDressIsStopped() {
        String[] leaks = {
            "Here you go:\n```java\nNDArray w = scores.softmax(-1);\n```\nDoes that help?",
            "Try `NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));` and see. What happens?",
            "Write scores = scores.div(Math.sqrt(headDim)); before the softmax. Does it pass now?",
            "You need x.reshape(batch, seqLen, numHeads, headDim).transpose(0, 2, 1, 3) there. Clear?",
            "Just return mergeHeads(context, numHeads, headDim); at the end. Anything else?",
            "```\nfor (int i = 0; i < n; i++) {\n  out[i] = a[i] * b[i];\n}\n```\nWhich loop is yours?",
            "The fix is `scores.softmax(-1)`. Why -1?",
        };
        for (String leak : leaks) {
            Optional<Guard.Violation> v = check(leak);
            assertTrue(v.isPresent(), "not stopped: " + leak);
            assertTrue(v.get().reason() != Guard.Reason.NO_QUESTION, leak + " -> " + v.get());
        }
    }

    @Test
    void shapesNamesAndMathInWordsAreFine() {
        String[] fine = {
            "Your scores should have the shape [batch, numHeads, seqLen, seqLen]; which axis is the key position?",
            "What does `Kernels.scaledDotProductAttention` already do for you, and what does `mask` still need?",
            "Which axis does your `softmax` call normalise over, the last one or another?",
            "If headDim is 64, what is one over its square root, roughly?",
            "Nice: the split works. What shape does `[batch, seqLen, numHeads * headDim]` become after it?",
            "Did you try printing scores.getShape() after the product?",
            // Setup help: a shell command is no code of the solution.
            "Run this and tell me what you see:\n```\nmvn -B -o verify -Dtest=AttentionTest\n```\nWhich check fails first?",
        };
        for (String message : fine) {
            assertEquals(Optional.empty(), check(message), message);
        }
    }

    /** Every statement of the solution, pasted as plain prose, is caught: by the code check or by the overlap. */
    @Test
    void everyLineOfTheReferenceSolutionIsCaught() {
        String skeleton = JavaTokens.stripComments(AttentionSources.skeleton());
        int lines = 0;
        for (String line : JavaTokens.stripComments(AttentionSources.reference()).split("\n")) {
            String l = line.strip();
            // Imports name libraries, which the student's README names too; they give nothing away.
            if (JavaTokens.texts(l).size() < 8 || skeleton.contains(l) || l.startsWith("import ")) {
                continue;
            }
            lines++;
            for (String dressed : List.of(l, "Think about this: " + l.replace(";", "") + " and tell me why?")) {
                Optional<Guard.Violation> v = check(dressed);
                assertTrue(v.isPresent() && v.get().reason() != Guard.Reason.NO_QUESTION, "not caught: " + dressed);
            }
        }
        assertTrue(lines > 20, "the reference has statements to test: " + lines);
    }

    @Test
    void overlapCountsOnlyWhatTheStudentDidNotWrite() {
        ReferenceOverlap overlap = ReferenceOverlap.of(List.of(AttentionSources.reference()), List.of(AttentionSources.skeleton()));
        String message = "so weights come from scores.softmax(-1) right";
        assertTrue(overlap.longestMatch(message, Set.of()).isPresent());
        Set<String> own = ReferenceOverlap.ngrams(List.of("class A { void f() { w = scores.softmax(-1); } }"));
        assertEquals(Optional.empty(), overlap.longestMatch(message, own));
        // The skeleton's signatures are the student's anyway.
        assertEquals(Optional.empty(), overlap.longestMatch(
                "eagerBidirectional(NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask)", Set.of()));
    }

    @Test
    void aViolationsExcerptIsTooShortToBeTheLeak() {
        Guard.Violation v = check("```java\nNDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));\n```").orElseThrow();
        assertEquals(Guard.Reason.CODE, v.reason());
        assertTrue(JavaTokens.texts(v.excerpt().replaceAll("\\(.*withheld\\)", "")).size() <= 3, v.excerpt());
        assertFalse(v.excerpt().contains("transpose"), v.excerpt());
    }

    @Test
    void aMessageMustEndWithAQuestion() {
        assertTrue(Questions.asksQuestion("Which axis is it?"));
        assertTrue(Questions.asksQuestion("Which axis is it?)**  \n"));
        assertFalse(Questions.asksQuestion("Is it the last axis? Try it and let me know."));
        assertFalse(Questions.asksQuestion(""));
        assertEquals(Guard.Reason.NO_QUESTION, check("Good work on the split.").orElseThrow().reason());
    }

    @Test
    void theStreamReleasesCleanSentencesAndNeverTheCode() {
        List<String> shown = new ArrayList<>();
        GuardedStream stream = new GuardedStream(GUARD, Set.of(), shown::add, "");
        String answer = "Good question. Here is how it looks:\n```java\nNDArray w = scores.softmax(-1);\n```\nSee?";
        Optional<Guard.Violation> v = Optional.empty();
        for (int i = 0; i < answer.length() && v.isEmpty(); i += 4) {
            v = stream.accept(answer.substring(i, Math.min(answer.length(), i + 4)));
        }
        if (v.isEmpty()) {
            v = stream.finish();
        }
        assertTrue(v.isPresent());
        assertEquals(Guard.Reason.CODE, v.get().reason());
        assertEquals("Good question.", String.join("", shown));

        List<String> clean = new ArrayList<>();
        GuardedStream ok = new GuardedStream(GUARD, Set.of(), clean::add, "");
        String text = "Your split looks right. Now the scores: which axes does the product sum over?";
        for (int i = 0; i < text.length(); i += 3) {
            assertTrue(ok.accept(text.substring(i, Math.min(text.length(), i + 3))).isEmpty());
        }
        assertTrue(clean.size() >= 1, "the first sentence goes out before the answer ends");
        assertTrue(ok.finish().isEmpty());
        assertEquals(text, String.join("", clean));
    }
}
