package dev.tinyvllm.tutor.guard;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs of tokens a tutor message shares with the step's hidden reference solution. Only runs that
 * do something count: an assignment, a statement end, a block, a lambda, or a call given an
 * argument. A shape written as {@code [batch, heads, seqLen, headDim]} is the contract, a package
 * name or {@code scores.getShape()} is no solution. Runs the student can already see (the
 * skeleton) or has written themselves do not count either.
 */
public final class ReferenceOverlap {

    /** Tokens per run; five is enough to hold a call with its argument, such as an axis. */
    public static final int N = 5;

    private static final Set<String> OPERATION_TOKENS = Set.of("=", ";", "{", "}", "->");

    private final Set<String> reference;

    /**
     * @param referenceSources the step's reference solution files
     * @param publicSources what the student is given anyway (the skeletons)
     */
    public ReferenceOverlap(Collection<String> referenceSources, Collection<String> publicSources) {
        Set<String> grams = new HashSet<>();
        for (String source : referenceSources) {
            grams.addAll(ngrams(JavaTokens.tokens(JavaTokens.stripComments(source))));
        }
        for (String source : publicSources) {
            grams.removeAll(ngrams(JavaTokens.tokens(JavaTokens.stripComments(source))));
        }
        this.reference = Set.copyOf(grams);
    }

    /** The n-grams of sources the student wrote, to subtract: quoting a student's own code is no leak. */
    public static Set<String> studentNgrams(Collection<String> sources) {
        Set<String> grams = new HashSet<>();
        for (String source : sources) {
            grams.addAll(ngrams(JavaTokens.tokens(JavaTokens.stripComments(source))));
        }
        return grams;
    }

    public boolean isEmpty() {
        return reference.isEmpty();
    }

    /** The first run of the message that is also in the reference (and not the student's own), joined by spaces. */
    public Optional<String> firstOverlap(String message, Set<String> studentOwn) {
        List<String> tokens = JavaTokens.tokens(message);
        for (int i = 0; i + N <= tokens.size(); i++) {
            List<String> run = tokens.subList(i, i + N);
            if (!holdsOperation(run)) {
                continue;
            }
            String key = String.join(" ", run);
            if (reference.contains(key) && !studentOwn.contains(key)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    static Set<String> ngrams(List<String> tokens) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i + N <= tokens.size(); i++) {
            List<String> run = tokens.subList(i, i + N);
            if (holdsOperation(run)) {
                out.add(String.join(" ", run));
            }
        }
        return out;
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
