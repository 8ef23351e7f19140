package dev.tinyvllm.steps.week1.gqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.Comparison;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.check.probes.Probes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GroupedAttention.attention}: values against libtorch's SDPA with {@code enable_gqa}, which
 * query heads move when one key/value head changes, and the student's own mask used by the student's
 * own attention.
 */
final class GroupedChecks {

    static final String HEAD_PROBE = "kv_head_sharing";
    static final String LEAK_PROBE = "with_your_causal_mask";

    private static final List<String> HEAD_AXES = Arrays.asList("batch", "head", "token", null);

    enum MaskKind { NONE, CAUSAL, PADDING }

    record AttentionCase(String name, String description, int batch, int heads, int kvHeads, int queryLen,
            int keyLen, int dim, MaskKind mask) {}

    static final List<AttentionCase> CASES = List.of(
            new AttentionCase("grouped", "6 query heads share 2 key/value heads, 3 queries over 7 keys", 2, 6, 2, 3,
                    7, 5, MaskKind.NONE),
            new AttentionCase("causal_mask", "4 query heads over 2, 3 queries over 5 keys, a bottom-right causal mask",
                    1, 4, 2, 3, 5, 4, MaskKind.CAUSAL),
            new AttentionCase("padding_mask", "4 query heads over 1, a padding mask [batch, 1, 1, keys]", 2, 4, 1, 4,
                    4, 8, MaskKind.PADDING),
            new AttentionCase("equal_heads", "as many key/value heads as query heads: plain multi-head attention", 1,
                    3, 3, 4, 6, 4, MaskKind.NONE));

    /** What the probe of shared key/value heads saw: the query heads that moved, and what that tells. */
    private record HeadSharing(Set<Integer> moved, List<Tag> tags, boolean nonFinite) {}

    private GroupedChecks() {}

    static CheckResult attentionCheck(CheckContext ctx, AttentionCase c) {
        float[][] qkv = qkv(ctx, c);
        float[] expected = grouped(ctx, c, qkv);
        float[] actual = studentAttention(ctx, c, qkv, null);
        return Grading.compare(ctx.check().spec(), actual, expected,
                Grading.dims(c.batch(), c.heads(), c.queryLen(), c.dim()), ctx.tolerance(), HEAD_AXES, () -> {
                    List<Tag> tags = attentionMutants(ctx, c, qkv, actual, expected);
                    return tags.isEmpty() ? headSharing(ctx).tags() : tags;
                });
    }

    static CheckResult headProbe(CheckContext ctx) {
        HeadSharing seen = headSharing(ctx);
        if (seen.nonFinite()) {
            return Grading.nonFinite(ctx, "attention");
        }
        return seen.tags().isEmpty()
                ? ctx.pass("changing key/value head 1 of 3 moved query heads 2 and 3 of 6, and no other")
                : ctx.fail("changing key/value head 1 of 3 should move query heads 2 and 3 of 6 and no other; it "
                        + "moved " + seen.moved(), seen.tags());
    }

    /** Changes key/value head 1 of 3: only query heads 2 and 3 of 6 may move, and both must. */
    private static HeadSharing headSharing(CheckContext ctx) {
        AttentionCase c = new AttentionCase(HEAD_PROBE, "", 1, 6, 3, 2, 4, 4, MaskKind.NONE);
        float[][] qkv = qkv(ctx, c);
        float[] base = studentAttention(ctx, c, qkv, null);
        if (Comparison.hasNonFinite(base)) {
            return new HeadSharing(Set.of(), List.of(), true);
        }
        int block = c.keyLen() * c.dim();
        for (int i = block; i < 2 * block; i++) {
            qkv[1][i] = (float) ctx.random().nextGaussian();
            qkv[2][i] = (float) ctx.random().nextGaussian();
        }
        // Batch 1: each row of queryLen * dim values is one query head.
        boolean[] moved = Probes.movedRows(base, studentAttention(ctx, c, qkv, null), c.queryLen() * c.dim(),
                ctx.tolerance());
        Set<Integer> heads = indices(moved);
        if (heads.equals(Set.of(2, 3))) {
            return new HeadSharing(heads, List.of(), false);
        }
        return new HeadSharing(heads, List.of(heads.size() == 2 ? GqaTag.GROUPING_WRONG : GqaTag.HEADS_MIXED), false);
    }

    /** The student's mask and attention together: the last key is visible to the last query only. */
    static CheckResult leakProbe(CheckContext ctx) {
        int queryLen = 3;
        int keyLen = 6;
        AttentionCase c = new AttentionCase(LEAK_PROBE, "", 1, 2, 1, queryLen, keyLen, 4, MaskKind.CAUSAL);
        boolean[] mask = MaskChecks.studentMask(ctx, queryLen, keyLen);
        float[][] qkv = qkv(ctx, c);
        float[] base = studentAttention(ctx, c, qkv, mask);
        if (Comparison.hasNonFinite(base)) {
            List<Tag> tags = new ArrayList<>(MaskChecks.maskTags(mask, queryLen, keyLen));
            tags.add(CommonTag.NAN_OUTPUT);
            return ctx.fail("your attention with your causalMask(3, 6) returned NaN or infinity", tags);
        }
        int last = (keyLen - 1) * c.dim();
        for (int i = last; i < last + c.dim(); i++) {
            qkv[1][i] = (float) ctx.random().nextGaussian();
            qkv[2][i] = (float) ctx.random().nextGaussian();
        }
        // Rows of dim values run over (head, query): the query is the row's place within its head.
        boolean[] moved = Probes.movedRows(base, studentAttention(ctx, c, qkv, mask), c.dim(), ctx.tolerance());
        Set<Integer> rows = new TreeSet<>();
        indices(moved).forEach(row -> rows.add(row % queryLen));
        if (rows.equals(Set.of(queryLen - 1))) {
            return ctx.pass("changing the last key moved the last query only");
        }
        List<Tag> tags = MaskChecks.maskTags(mask, queryLen, keyLen);
        if (tags.isEmpty() && Arrays.equals(mask, GqaOracle.causalPattern(queryLen, keyLen, 0)) && rows.size() > 1) {
            tags = List.of(GqaTag.MASK_IGNORED);
        }
        return ctx.fail("with your causalMask(3, 6), changing the last key should move query 2 only (the token "
                + "at position 5); it moved queries " + rows, tags);
    }

    private static Set<Integer> indices(boolean[] flags) {
        Set<Integer> set = new TreeSet<>();
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                set.add(i);
            }
        }
        return set;
    }

    private static List<Tag> attentionMutants(CheckContext ctx, AttentionCase c, float[][] qkv, float[] actual,
            float[] expected) {
        List<GqaMutation> candidates = new ArrayList<>();
        if (c.kvHeads() > 1 && c.kvHeads() < c.heads()) {
            candidates.add(GqaMutation.GROUPING_INTERLEAVED);
        }
        if (c.mask() != MaskKind.NONE) {
            candidates.add(GqaMutation.MASK_IGNORED);
            candidates.add(GqaMutation.MASK_INVERTED);
        }
        candidates.add(GqaMutation.SCALE_MISSING);
        return Grading.agreedTags(actual, expected, ctx.tolerance(), Grading.variants(candidates,
                set -> ctx.oracle(scratch -> {
                    NDArray[] a = arrays(c, qkv, scratch);
                    return GqaOracle.groupedEager(a[0], a[1], a[2], mask(c, scratch), set);
                })));
    }

    /** libtorch's grouped attention on the case's inputs and mask. */
    static float[] grouped(CheckContext ctx, AttentionCase c, float[][] qkv) {
        return ctx.oracle(scratch -> {
            NDArray[] a = arrays(c, qkv, scratch);
            return GqaOracle.grouped(a[0], a[1], a[2], mask(c, scratch));
        });
    }

    static float[][] qkv(CheckContext ctx, AttentionCase c) {
        int q = c.batch() * c.heads() * c.queryLen() * c.dim();
        int kv = c.batch() * c.kvHeads() * c.keyLen() * c.dim();
        return new float[][] {Grading.gaussian(ctx.random(), q, 1), Grading.gaussian(ctx.random(), kv, 1),
            Grading.gaussian(ctx.random(), kv, 1)};
    }

    private static NDArray[] arrays(AttentionCase c, float[][] qkv, NDManager m) {
        Shape kv = new Shape(c.batch(), c.kvHeads(), c.keyLen(), c.dim());
        return new NDArray[] {m.create(qkv[0], new Shape(c.batch(), c.heads(), c.queryLen(), c.dim())),
            m.create(qkv[1], kv), m.create(qkv[2], kv)};
    }

    private static NDArray mask(AttentionCase c, NDManager m) {
        return switch (c.mask()) {
            case NONE -> null;
            case CAUSAL -> GqaOracle.causalMask(m, c.queryLen(), c.keyLen());
            case PADDING -> {
                // Batch row 0 has 2 real keys, row 1 all of them.
                boolean[] attend = new boolean[c.batch() * c.keyLen()];
                for (int b = 0; b < c.batch(); b++) {
                    for (int j = 0; j < (b == 0 ? 2 : c.keyLen()); j++) {
                        attend[b * c.keyLen() + j] = true;
                    }
                }
                yield m.create(attend, new Shape(c.batch(), 1, 1, c.keyLen()));
            }
        };
    }

    /** Runs the student's attention; {@code mask} replaces the case's own mask when given. */
    static float[] studentAttention(CheckContext ctx, AttentionCase c, float[][] qkv, boolean[] mask) {
        NDManager m = ctx.manager();
        NDArray[] a = arrays(c, qkv, m);
        NDArray maskArray = mask == null ? mask(c, m) : m.create(mask, new Shape(c.queryLen(), c.keyLen()));
        NDArray out = ctx.student(GroupedAttentionView.class).attention(a[0], a[1], a[2], maskArray);
        return Grading.values(out, "attention", Grading.dims(c.batch(), c.heads(), c.queryLen(), c.dim()),
                DataType.FLOAT32);
    }
}
