package dev.tinyvllm.steps.week1.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.check.probes.Probes;
import dev.tinyvllm.curriculum.Tolerance;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Why an attention output is wrong, told two ways. Mutants: the output is compared with known-wrong
 * variants of the oracle, alone and in pairs; the tags all matching variants agree on are reported.
 * Probes: when no variant matches, the student's function runs again on changed inputs, and what moves
 * tells which rule is broken. Position probes are trusted only once the heads probe shows the heads stay
 * apart, so a layout bug is never reported as a masking bug.
 */
final class AttentionProbes {

    private final AttentionRun run;

    AttentionProbes(AttentionRun run) {
        this.run = run;
    }

    /** The tags a failed value check can claim with confidence; none when unsure. */
    List<Tag> diagnose(AttentionInputs in, float[] actual, float[] expected) {
        List<Tag> fromMutants = mutants(in, actual, expected);
        if (!fromMutants.isEmpty()) {
            return fromMutants;
        }
        List<AttentionTag> heads = heads();
        if (!heads.isEmpty()) {
            return List.copyOf(heads);
        }
        AttentionFunction fn = run.function();
        Set<Tag> tags = new LinkedHashSet<>();
        if (fn.causal()) {
            AttentionInputs probe = fn.packed()
                    ? run.inputs(AttentionInputs.Case.probe(0, 0, 2, 4, new int[] {6, 5}))
                    : run.inputs(AttentionInputs.Case.probe(2, 6, 2, 4, null));
            tags.addAll(causal(probe, run.student(probe)));
        }
        if (!in.packed() && in.lengths() != null) {
            tags.addAll(mask(in, actual));
        }
        if (in.packed() && in.lengths().length > 1) {
            tags.addAll(varlen(in, actual));
        }
        return List.copyOf(tags);
    }

    /**
     * The tags every mutant matching the output agrees on. Mutants that equal the correct result on these
     * inputs prove nothing and are left out.
     */
    private List<Tag> mutants(AttentionInputs in, float[] actual, float[] expected) {
        AttentionFunction fn = run.function();
        List<AttentionMutation> candidates = Arrays.stream(AttentionMutation.values()).filter(m -> applies(m, in))
                .toList();
        try (NDManager scratch = run.manager().newSubManager()) {
            NDArray[] qkv = in.arrays(scratch);
            NDArray mask = in.mask(scratch);
            return Grading.tagsAllMatchesAgreeOn(actual, expected, run.tolerance(), Grading.variants(candidates,
                    variant -> (in.packed()
                            ? AttentionOracle.varlenEager(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), in.cu(),
                                    fn.causal(), variant)
                            : AttentionOracle.eager(qkv[0], qkv[1], qkv[2], in.heads(), in.dim(), mask, fn.causal(),
                                    variant)).toFloatArray()));
        }
    }

    /** Whether a mutation can show on these inputs at all, for this function. */
    private boolean applies(AttentionMutation m, AttentionInputs in) {
        AttentionFunction fn = run.function();
        return switch ((AttentionMutation.Group) m.group()) {
            case SCALE -> true;
            case MASK -> !in.packed() && in.lengths() != null;
            case CAUSAL -> fn.causal();
            case SPLIT, MERGE -> !in.packed() && in.heads() > 1;
            case SOFTMAX -> fn.kind() == AttentionFunction.Kind.EAGER;
            case VARLEN -> in.packed() && in.lengths().length > 1;
        };
    }

    /**
     * Changes head 0's features at every position: only head 0's output columns may move. When others
     * move, a second change, of the first {@code rows*dim} values (the slice a reshape without a transpose
     * takes as head 0), tells a split bug from a merge bug.
     */
    List<AttentionTag> heads() {
        AttentionFunction fn = run.function();
        AttentionInputs in = fn.packed()
                ? run.inputs(AttentionInputs.Case.probe(0, 0, 3, 4, new int[] {6}))
                : run.inputs(AttentionInputs.Case.probe(1, 6, 3, 4, null));
        float[] base = run.student(in);
        if (Comparison.hasNonFinite(base)) {
            return List.of(); // what moves in a NaN output tells nothing
        }
        Tolerance tolerance = run.tolerance();
        int width = in.width();
        int block = in.rows() * in.dim();
        float[] byColumn = run.student(in.perturb(i -> i % width < in.dim(), run.random()));
        if (!Probes.crossesHeads(base, byColumn, tolerance, width, in.dim(), 0)) {
            return List.of();
        }
        boolean insideFirstBlock = !Probes.anyMoved(Arrays.copyOfRange(base, block, base.length),
                Arrays.copyOfRange(byColumn, block, byColumn.length), tolerance);
        float[] byBlock = run.student(in.perturb(i -> i < block, run.random()));
        boolean onlyFirstHead = Probes.anyMoved(base, byBlock, tolerance)
                && !Probes.crossesHeads(base, byBlock, tolerance, width, in.dim(), 0);
        if (onlyFirstHead && !fn.packed()) {
            return List.of(AttentionTag.HEADS_NOT_TRANSPOSED);
        }
        if (insideFirstBlock && !fn.packed()) {
            return List.of(AttentionTag.HEADS_MERGED_WRONG);
        }
        return List.of(AttentionTag.HEADS_MIXED);
    }

    /** Changes the last token's key and value in each sequence: earlier rows must not move, the last must. */
    List<AttentionTag> causal(AttentionInputs in, float[] base) {
        if (Comparison.hasNonFinite(base)) {
            return List.of();
        }
        int[] ends = in.sequenceEnds();
        boolean[] lastRows = new boolean[in.rows()];
        for (int end : ends) {
            lastRows[end - 1] = true;
        }
        float[] after = run.student(in.perturbRows(lastRows, false, run.random()));
        Probes.Causality seen = Probes.afterChangingLastTokens(
                Probes.movedRows(base, after, in.width(), run.tolerance()), ends);
        if (seen.farLeak()) {
            return List.of(AttentionTag.CAUSAL_MISSING);
        }
        if (seen.nearLeak() || !seen.lastMoved()) {
            return List.of(AttentionTag.CAUSAL_OFF_BY_ONE);
        }
        return List.of();
    }

    /** Whether changing the keys and values at padded positions moves any output (it must not). */
    boolean paddedKeysMatter(AttentionInputs in, float[] base) {
        return Probes.anyMoved(base, run.student(in.perturbKeys(true, run.random())), run.tolerance());
    }

    /** Changes the keys at padded positions (which must not matter), then at valid ones (which must). */
    List<AttentionTag> mask(AttentionInputs in, float[] base) {
        if (Comparison.hasNonFinite(base)) {
            return List.of();
        }
        if (!paddedKeysMatter(in, base)) {
            return List.of();
        }
        boolean validMatter = Probes.anyMoved(base, run.student(in.perturbKeys(false, run.random())),
                run.tolerance());
        return List.of(validMatter ? AttentionTag.MASK_IGNORED : AttentionTag.MASK_INVERTED);
    }

    /** Changes every token of sequence 1: no token of another sequence may move. */
    List<AttentionTag> varlen(AttentionInputs in, float[] base) {
        if (Comparison.hasNonFinite(base)) {
            return List.of();
        }
        int[] cu = in.cu();
        boolean[] rows = new boolean[in.rows()];
        for (int r = cu[1]; r < cu[2]; r++) {
            rows[r] = true;
        }
        float[] after = run.student(in.perturbRows(rows, true, run.random()));
        return Probes.crossesSequences(Probes.movedRows(base, after, in.width(), run.tolerance()), rows)
                ? List.of(AttentionTag.VARLEN_CROSSES_SEQUENCES) : List.of();
    }
}
