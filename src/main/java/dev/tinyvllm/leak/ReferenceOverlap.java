package dev.tinyvllm.leak;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs of tokens a text shares with a step's hidden reference solution, in the same order. What the
 * student can already see does not count: n-grams of the skeleton (signatures, parameter lists) are
 * removed, comments are not code, and runs of the student's own code are passed over. A run counts
 * only if it does something: it holds an assignment, a statement end, a block, a lambda, or a call
 * given an argument. A shape written as {@code [batch, heads, seqLen, headDim]} is the contract, and
 * a package name or {@code scores.getShape()} is no solution.
 */
public final class ReferenceOverlap {

    /** Tokens per n-gram; five is enough to hold a call with its argument, such as an axis in {@code softmax(-1)}. */
    public static final int N = 5;

    /** No reference at hand: nothing overlaps. */
    public static final ReferenceOverlap NONE = new ReferenceOverlap(Set.of());

    private static final Set<String> OPERATION_TOKENS = Set.of("=", ";", "{", "}", "->");
    private static final int MAX_EXCERPT = 300;

    /**
     * The longest run of a text found in the reference.
     *
     * @param excerpt the run as written in the text, cut to a few hundred characters
     * @param tokens tokens in the run
     * @param coveredTokens all tokens of the text in some run that counts
     * @param start where the run starts in the text
     * @param end where it ends, exclusive
     */
    public record Match(String excerpt, int tokens, int coveredTokens, int start, int end) {

        public String detail() {
            return tokens + " tokens in a row from the reference solution";
        }
    }

    private final Set<String> grams;

    private ReferenceOverlap(Set<String> grams) {
        this.grams = grams;
    }

    /**
     * @param referenceSources the step's reference solution files
     * @param visibleSources what the student is given anyway (the skeletons)
     */
    public static ReferenceOverlap of(Collection<String> referenceSources, Collection<String> visibleSources) {
        Set<String> grams = ngrams(referenceSources);
        grams.removeAll(ngrams(visibleSources));
        return new ReferenceOverlap(Set.copyOf(grams));
    }

    /** The n-grams of Java sources, comments left out: of the student's own files, to pass over. */
    public static Set<String> ngrams(Collection<String> sources) {
        Set<String> out = new HashSet<>();
        for (String source : sources) {
            List<String> tokens = JavaTokens.texts(JavaTokens.stripComments(source));
            for (int i = 0; i + N <= tokens.size(); i++) {
                out.add(key(tokens, i));
            }
        }
        return out;
    }

    /** How many n-grams of the reference a text could match: 0 means nothing is checked. */
    public int size() {
        return grams.size();
    }

    public boolean isEmpty() {
        return grams.isEmpty();
    }

    /**
     * The longest run of the text that is in the reference and not in {@code studentOwn}, among the
     * runs that do something; empty if there is none, which is when the text may be shown.
     */
    public Optional<Match> longestMatch(String text, Set<String> studentOwn) {
        List<JavaTokens.Token> tokens = JavaTokens.of(text);
        if (tokens.size() < N || grams.isEmpty()) {
            return Optional.empty();
        }
        List<String> words = tokens.stream().map(JavaTokens.Token::text).toList();
        int windows = tokens.size() - N + 1;
        boolean[] inReference = new boolean[windows];
        boolean[] covered = new boolean[tokens.size()];
        for (int i = 0; i < windows; i++) {
            String key = key(words, i);
            if (grams.contains(key) && !studentOwn.contains(key)) {
                inReference[i] = true;
                for (int j = i; j < i + N; j++) {
                    covered[j] = true;
                }
            }
        }
        // A run of shared tokens counts once one of its n-grams does something; the others only make it longer.
        int bestStart = -1;
        int bestLength = 0;
        int coveredCount = 0;
        for (int i = 0; i < covered.length; ) {
            if (!covered[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < covered.length && covered[j]) {
                j++;
            }
            boolean counts = false;
            for (int w = i; w + N <= j && !counts; w++) {
                counts = inReference[w] && holdsOperation(words.subList(w, w + N));
            }
            if (counts) {
                coveredCount += j - i;
                if (j - i > bestLength) {
                    bestLength = j - i;
                    bestStart = i;
                }
            }
            i = j;
        }
        if (bestStart < 0) {
            return Optional.empty();
        }
        int start = tokens.get(bestStart).start();
        int end = tokens.get(bestStart + bestLength - 1).end();
        String excerpt = text.substring(start, end);
        if (excerpt.length() > MAX_EXCERPT) {
            excerpt = excerpt.substring(0, MAX_EXCERPT - 1) + "…";
        }
        return Optional.of(new Match(excerpt, bestLength, coveredCount, start, end));
    }

    private static String key(List<String> tokens, int from) {
        return String.join("\u0001", tokens.subList(from, from + N));
    }

    private static boolean holdsOperation(List<String> run) {
        for (int i = 0; i < run.size(); i++) {
            String t = run.get(i);
            if (OPERATION_TOKENS.contains(t) || (t.equals("(") && i + 1 < run.size() && !run.get(i + 1).equals(")"))) {
                return true;
            }
        }
        return false;
    }
}
