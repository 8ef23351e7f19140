package dev.tinyvllm.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What counts as code in a tutor message, and what repeats the reference solution of week1/attention. */
class LeakDetectionTest {

    static final ReferenceOverlap ATTENTION = ReferenceSolutions.bundled().forStep("week1/attention").orElseThrow();

    static Optional<ReferenceOverlap.Match> overlap(String text) {
        return ATTENTION.longestMatch(text, Set.of());
    }

    @Test
    void pointingAtIdentifiersShapesAndShortCallsIsNotCode() {
        for (String message : List.of(
                "What value does `mask` hold at a padded position?",
                "Which axis does your `softmax` call use, and what does `q.getShape()` return?",
                "What does q.getShape() return for batch 2?",
                "If you call `mask.not()` there, which keys survive?",
                "What shape does `[batch, seqLen, numHeads * headDim]` become after the split?",
                "Set x to 2 and see what happens to the weights: does the largest one grow?",
                "The scores are divided by the square root of headDim (see the README); why that number?",
                // A sentence with a stray semicolon at its end is prose, not a statement.
                "First think about the shapes of both factors; then about the scale;\nWhich comes first?")) {
            assertEquals(List.of(), CodeDetector.find(message), message);
        }
    }

    @Test
    void shellCommandsAreToolingHelpNotCode() {
        for (String message : List.of(
                "Try `tutor check week1/attention` again, then tell me which check fails first.",
                "Run `mvn -B -o verify -Dtest=AttentionTest` and tell me what you see?",
                "Run this and tell me what you see:\n```\nmvn -B -o verify -Dtest=AttentionTest\n```",
                "In a terminal:\n```bash\n$ export JAVA_HOME=/usr/lib/jvm/temurin-17\n$ java -version\n```\nWhich version shows?")) {
            assertEquals(List.of(), CodeDetector.find(message), message);
        }
        // A "shell" line that ends like a Java statement is code all the same.
        assertEquals(1, CodeDetector.find("```\n$ scores = scores.div(Math.sqrt(headDim));\n```").size());
    }

    @Test
    void blocksSpansAndStatementsBeyondAFewTokensAreCode() {
        List<CodeDetector.Finding> block = CodeDetector.find("Like this:\n```java\nNDArray w = scores.softmax(-1);\n```\nOK?");
        assertEquals(1, block.size());
        assertEquals("fenced block", block.get(0).kind());
        assertEquals("NDArray w = scores.softmax(-1);", block.get(0).excerpt());
        assertEquals(11, block.get(0).tokens());

        List<CodeDetector.Finding> inline = CodeDetector.find("Did you write `scores.softmax(-1)` or something else?");
        assertEquals(List.of(new CodeDetector.Finding("inline code", "scores.softmax(-1)", 7, 14, 34)), inline);

        String bare = "Your line should read\n  scores = scores.div(Math.sqrt(headDim));\n  NDArray weights = scores.softmax(-1);\nthen what?";
        List<CodeDetector.Finding> lines = CodeDetector.find(bare);
        assertEquals(1, lines.size());
        assertEquals("code lines", lines.get(0).kind());
        assertEquals("scores = scores.div(Math.sqrt(headDim));\n  NDArray weights = scores.softmax(-1);", lines.get(0).excerpt());
        assertEquals(25, lines.get(0).tokens());
        assertEquals("code lines, 25 tokens", lines.get(0).detail());
    }

    @Test
    void aFenceSaysCodeByItselfSoItMayHoldLess() {
        // Five tokens pass inline, not fenced.
        assertEquals(List.of(), CodeDetector.find("Does `mask.not()` help?"));
        assertEquals(List.of(CodeDetector.FENCED), CodeDetector.find("Does\n```\nmask.not()\n```\nhelp?").stream()
                .map(CodeDetector.Finding::kind).toList());
        // Any statement in backticks is code, however short.
        assertEquals(List.of(CodeDetector.INLINE), CodeDetector.find("What if `x = 0;` there?").stream()
                .map(CodeDetector.Finding::kind).toList());
    }

    @Test
    void codeInsideASentenceOrSplitAcrossSpansOrLinesIsFound() {
        String sentence = "You need x.reshape(batch, seqLen, numHeads, headDim).transpose(0, 2, 1, 3) there. Clear?";
        CodeDetector.Finding f = CodeDetector.find(sentence).get(0);
        assertEquals(CodeDetector.LINES, f.kind());
        assertEquals(sentence.indexOf("x.reshape"), f.start());

        String spans = "Write `w` = `f(x)` + `g(y)`; before the loop?";
        assertEquals(List.of(new CodeDetector.Finding(CodeDetector.LINES, spans, 17, 0, spans.length())), CodeDetector.find(spans));

        // Two statements of four tokens each are one piece of code of eight.
        String two = "Look:\n  x = 1;\n\n  y = 2;\nWhich runs first?";
        List<CodeDetector.Finding> found = CodeDetector.find(two);
        assertEquals(1, found.size(), found.toString());
        assertEquals("x = 1;\n\n  y = 2;", found.get(0).excerpt());
        assertEquals(8, found.get(0).tokens());
        assertEquals(List.of(), CodeDetector.find("Look:\n  x = 1;\nWhich runs first?"));
    }

    @Test
    void aBlockIsFoundOnceEvenWhenItsLinesAreStatements() {
        String text = "```\nfor (int i = 0; i < n; i++) {\n  x[i] = 0;\n}\n```";
        List<CodeDetector.Finding> found = CodeDetector.find(text);
        assertEquals(1, found.size(), found.toString());
        assertEquals(0, found.get(0).start());
        assertEquals(text.length(), found.get(0).end());
    }

    @Test
    void anUnclosedFenceRunsToTheEnd() {
        List<CodeDetector.Finding> found = CodeDetector.find("Here:\n```java\nreturn mergeHeads(context, numHeads, headDim);");
        assertEquals(1, found.size());
        assertEquals("return mergeHeads(context, numHeads, headDim);", found.get(0).excerpt());
    }

    @Test
    void overlapFindsTheLongestRunOfReferenceTokensAndQuotesItAsWritten() {
        String message = "Compare with:   kh.transpose(0, 1, 3, 2)  and\nscores = scores.div(Math.sqrt(headDim)); what changes?";
        ReferenceOverlap.Match match = overlap(message).orElseThrow();
        assertEquals("scores = scores.div(Math.sqrt(headDim));", match.excerpt());
        assertEquals(14, match.tokens());
        assertEquals(14 + 12, match.coveredTokens());
        assertEquals(message.indexOf("scores ="), match.start());
        assertEquals("14 tokens in a row from the reference solution", match.detail());
    }

    @Test
    void aCallGivenItsArgumentIsOverlapEvenWhenItIsTooShortToBeCode() {
        // The axis is the answer to a question of the guide: five tokens of the solution are enough.
        assertEquals(List.of(), CodeDetector.find("`softmax(-1)`"));
        assertEquals("softmax(-1)", overlap("`softmax(-1)`").orElseThrow().excerpt());
        // A name, or a call without an argument, does nothing.
        assertEquals(Optional.empty(), overlap("Did you try printing scores.getShape() after the product?"));
        assertEquals(Optional.empty(), overlap("`softmax`"));
    }

    @Test
    void whatTheStudentAlreadySeesOrWroteOrProseIsNotOverlap() {
        // The skeleton's signature is in the reference too, but the student has it.
        assertEquals(Optional.empty(), overlap(
                "public static NDArray eagerBidirectional(NDArray q, NDArray k, NDArray v, int numHeads, int headDim, NDArray mask)"));
        // A comment of the reference is not code.
        assertEquals(Optional.empty(), overlap("NDArrays.where does not broadcast: give the mask and the fill the scores' shape."));
        assertEquals(Optional.empty(), overlap(
                "Which axis of your scores is the key position, and what shape does your product have?"));
        // Quoting the student's own line back is no leak.
        String message = "so weights come from scores.softmax(-1) right";
        assertTrue(overlap(message).isPresent());
        Set<String> own = ReferenceOverlap.ngrams(List.of("class A { void f() { w = scores.softmax(-1); } }"));
        assertEquals(Optional.empty(), ATTENTION.longestMatch(message, own));
        assertTrue(ATTENTION.size() > 100, "the reference is loaded: " + ATTENTION.size());
        assertEquals(Optional.empty(), ReferenceOverlap.NONE.longestMatch(message, Set.of()));
    }

    @Test
    void aStepWithoutABundledReferenceHasNoMeasure() {
        ReferenceSolutions references = ReferenceSolutions.bundled();
        assertFalse(references.forStep("week2/kv-cache").isPresent(), "a planned step has no reference yet");
        assertFalse(references.forStep("no/such-step").isPresent());
        assertFalse(references.forStep(null).isPresent());
    }

    @Test
    void theRuleReportsCodeAndOverlapTogether() {
        LeakRule rule = new LeakRule(ATTENTION);
        LeakRule.Findings both = rule.check("Try:\n```java\nNDArray weights = scores.softmax(-1);\n```\nWhy -1?", Set.of());
        assertEquals(1, both.code().size());
        assertEquals("NDArray weights = scores.softmax(-1);", both.overlap().orElseThrow().excerpt());
        assertFalse(new LeakRule(ReferenceOverlap.NONE).check("Which axis, and why?", Set.of()).any());
    }

    @Test
    void tokensKeepTheirPlaceAndSentenceDotsAreNoTokens() {
        String text = "Is it `scores.softmax(-1)`? Yes.";
        List<JavaTokens.Token> tokens = JavaTokens.of(text);
        assertEquals(List.of("Is", "it", "scores", ".", "softmax", "(", "-", "1", ")", "?", "Yes"),
                tokens.stream().map(JavaTokens.Token::text).toList());
        assertEquals(text.indexOf("softmax"), tokens.get(4).start());
        assertEquals("int x = \"\";  char c = '';  y",
                JavaTokens.stripComments("int x = \"{\"; /* a */char c = '}'; // z\ny").replace("\n", " "));
    }
}
