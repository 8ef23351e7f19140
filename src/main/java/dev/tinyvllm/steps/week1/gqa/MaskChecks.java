package dev.tinyvllm.steps.week1.gqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Grading;
import dev.tinyvllm.check.Tag;
import dev.tinyvllm.check.WrongOutput;
import java.util.Arrays;
import java.util.List;

/** {@code GroupedAttention.causalMask}: the student's mask, compared exactly with the bottom-right rule. */
final class MaskChecks {

    /** L queries over S keys. */
    record MaskCase(String name, String description, int queryLen, int keyLen) {}

    static final List<MaskCase> CASES = List.of(
            new MaskCase("square", "3 queries over 3 keys", 3, 3),
            new MaskCase("more_keys", "3 new queries after 2 earlier tokens: 5 keys", 3, 5),
            new MaskCase("one_query", "1 new query after 3 earlier tokens: 4 keys", 1, 4));

    private MaskChecks() {}

    static CheckResult maskCheck(CheckContext ctx, MaskCase c) {
        boolean[] expected = GqaOracle.causalPattern(c.queryLen(), c.keyLen(), 0);
        boolean[] actual = studentMask(ctx, c.queryLen(), c.keyLen());
        if (Arrays.equals(actual, expected)) {
            return ctx.pass("matches exactly: " + grid(actual, c.keyLen()) + " (1 = may attend)");
        }
        int row = 0;
        while (Arrays.equals(Arrays.copyOfRange(actual, row * c.keyLen(), (row + 1) * c.keyLen()),
                Arrays.copyOfRange(expected, row * c.keyLen(), (row + 1) * c.keyLen()))) {
            row++;
        }
        return ctx.fail("your mask for " + c.queryLen() + " queries over " + c.keyLen() + " keys is "
                + grid(actual, c.keyLen()) + " (1 = may attend); row " + row + " is the first that breaks the rule",
                maskTags(actual, c.queryLen(), c.keyLen()));
    }

    /**
     * The student's mask as booleans, once it is a BOOLEAN array of the right shape.
     *
     * @throws WrongOutput otherwise; a mask of the right shape in another type is told apart, since
     *     "1.0 where allowed" is a mistake of its own
     */
    static boolean[] studentMask(CheckContext ctx, int queryLen, int keyLen) {
        NDArray mask = ctx.student(GroupedAttentionView.class).causalMask(ctx.manager(), queryLen, keyLen);
        List<Long> shape = Grading.dims(queryLen, keyLen);
        if (mask != null && mask.getDataType() != DataType.BOOLEAN && Grading.dims(mask.getShape()).equals(shape)) {
            throw new WrongOutput("causalMask returned " + mask.getDataType()
                    + " values; the contract asks for BOOLEAN, true where the query may attend",
                    List.of(GqaTag.MASK_NOT_BOOLEAN), shape, shape);
        }
        Grading.values(mask, "causalMask", shape, DataType.BOOLEAN);
        return mask.toBooleanArray();
    }

    /** Which known-wrong rule the mask follows, if it follows one exactly. */
    static List<Tag> maskTags(boolean[] actual, int queryLen, int keyLen) {
        boolean[] truth = GqaOracle.causalPattern(queryLen, keyLen, 0);
        boolean[] inverted = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            inverted[i] = !truth[i];
        }
        if (Arrays.equals(actual, inverted)) {
            return List.of(GqaTag.MASK_INVERTED);
        }
        if (queryLen != keyLen && Arrays.equals(actual, GqaOracle.causalPattern(queryLen, keyLen, queryLen - keyLen))) {
            return List.of(GqaTag.CAUSAL_TOP_LEFT);
        }
        if (Arrays.equals(actual, GqaOracle.causalPattern(queryLen, keyLen, -1))
                || Arrays.equals(actual, GqaOracle.causalPattern(queryLen, keyLen, 1))) {
            return List.of(GqaTag.CAUSAL_OFF_BY_ONE);
        }
        return List.of();
    }

    /** The mask row by row, 1 where a query may attend: short enough to read in a report. */
    private static String grid(boolean[] mask, int keyLen) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < mask.length; i++) {
            if (i > 0 && i % keyLen == 0) {
                s.append(" / ");
            }
            s.append(mask[i] ? '1' : '0');
        }
        return s.toString();
    }
}
