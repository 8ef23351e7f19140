package dev.tinyvllm.review;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Measures how much of a text repeats a step's reference solution, as runs of tokens the reference
 * holds in the same order. Only n-grams the student cannot already see count: those of the skeleton
 * (signatures, parameter lists) are removed, and comments are not code. The same tokens work on
 * prose with code in it and on code alone.
 *
 * <p>The tutor's guard (issue 3) needs the same measure before a message is shown; this is the
 * review's copy, written to be shared.
 */
public final class ReferenceOverlap {

    /** Tokens in a row that must match the reference: `qh.matMul(kh` is 6; a lone call like `softmax(-1)` is 5. */
    public static final int NGRAM = 6;

    private static final int MAX_EXCERPT = 300;

    /**
     * The longest run of a text found in the reference.
     *
     * @param tokens tokens in the run
     * @param coveredTokens all tokens of the text that are part of some matching n-gram
     */
    public record Match(String excerpt, int tokens, int coveredTokens, int start, int end) {}

    private final Set<String> shingles;

    private ReferenceOverlap(Set<String> shingles) {
        this.shingles = shingles;
    }

    /**
     * @param referenceSources the step's solution files
     * @param visibleSources what the student is given anyway (the skeleton files)
     */
    public static ReferenceOverlap of(Collection<String> referenceSources, Collection<String> visibleSources) {
        Set<String> shingles = new HashSet<>();
        for (String source : referenceSources) {
            shingles.addAll(shingles(CodeTokens.of(CodeTokens.withoutComments(source))));
        }
        for (String source : visibleSources) {
            shingles.removeAll(shingles(CodeTokens.of(CodeTokens.withoutComments(source))));
        }
        return new ReferenceOverlap(Set.copyOf(shingles));
    }

    /** How many distinct reference n-grams a text could match: 0 means nothing is checked. */
    public int size() {
        return shingles.size();
    }

    public Optional<Match> longestMatch(String text) {
        List<CodeTokens.Token> tokens = CodeTokens.of(text);
        if (tokens.size() < NGRAM || shingles.isEmpty()) {
            return Optional.empty();
        }
        boolean[] covered = new boolean[tokens.size()];
        StringBuilder key = new StringBuilder();
        for (int i = 0; i + NGRAM <= tokens.size(); i++) {
            key.setLength(0);
            for (int j = i; j < i + NGRAM; j++) {
                key.append(tokens.get(j).text()).append('\u0001');
            }
            if (shingles.contains(key.toString())) {
                for (int j = i; j < i + NGRAM; j++) {
                    covered[j] = true;
                }
            }
        }
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
            coveredCount += j - i;
            if (j - i > bestLength) {
                bestLength = j - i;
                bestStart = i;
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

    private static Set<String> shingles(List<CodeTokens.Token> tokens) {
        Set<String> out = new HashSet<>();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i + NGRAM <= tokens.size(); i++) {
            key.setLength(0);
            for (int j = i; j < i + NGRAM; j++) {
                key.append(tokens.get(j).text()).append('\u0001');
            }
            out.add(key.toString());
        }
        return out;
    }
}
