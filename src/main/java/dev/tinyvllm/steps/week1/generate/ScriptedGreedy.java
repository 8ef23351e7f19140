package dev.tinyvllm.steps.week1.generate;

import dev.tinyvllm.check.CheckContext;
import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.WrongOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The greedy checks on a scripted model: the loop alone, with the model's choices known in advance, so
 * each typical mistake (wrong row, stop id returned or ignored, limit off by one, only the last token
 * fed back, tokens streamed late) shows as itself. The scripted model and the recorder live in the
 * student JVM; what they recorded is read back and judged here.
 */
final class ScriptedGreedy {

    static final int VOCAB = 64;
    static final int STOP = 63;
    static final int END_OF_TEXT = 62;

    /** A prompt, the model's choices in order, the stop ids and the limit. */
    record Case(String name, String description, int[] prompt, int[] script, Set<Integer> stops, int max) {}

    static final List<Case> CASES = List.of(
            new Case("stops_at_stop_token", "the model chooses the stop id as its 4th token; limit 10",
                    new int[] {17, 3, 42, 8}, new int[] {21, 5, 33, STOP, 12, 9}, Set.of(STOP), 10),
            new Case("any_stop_token", "two stop ids; the model chooses the second one as its 2nd token",
                    new int[] {4, 4, 19}, new int[] {30, END_OF_TEXT, 7}, Set.of(STOP, END_OF_TEXT), 10),
            new Case("stops_at_limit", "no stop id comes; limit 5",
                    new int[] {9, 1, 50, 2, 26}, new int[] {11, 12, 13, 14, 15, 16, 17, 18}, Set.of(STOP), 5));

    /** What the scripted model saw: each call's ids, the recorder's count then, and each row's favourite. */
    record Recording(List<int[]> inputs, List<Integer> progressAtCall, List<int[]> favourites) {

        static Recording of(Views.ScriptedModel model) {
            return new Recording(model.inputs(), model.progressAtCall(), model.favourites());
        }
    }

    private final CheckContext ctx;
    private final Case c;

    private ScriptedGreedy(CheckContext ctx, Case c) {
        this.ctx = ctx;
        this.c = c;
    }

    static CheckResult check(CheckContext ctx, Case c) {
        return new ScriptedGreedy(ctx, c).run();
    }

    /** The tokens a correct loop generates: the script up to its first stop id or the limit. */
    static int[] expected(int[] script, Set<Integer> stops, int maxNewTokens) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < maxNewTokens && k < script.length && !stops.contains(script[k]); k++) {
            out.add(script[k]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private CheckResult run() {
        Views.Recorder streamed = ctx.student(Views.Recorder.class).create();
        Views.ScriptedModel model = ctx.student(Views.ScriptedModel.class)
                .create(ctx.manager(), VOCAB, c.script(), c.stops(), streamed);
        int[] returned = ctx.student(Views.Generator.class).greedy(model, c.prompt().clone(), c.stops(), c.max(),
                streamed);
        if (returned == null) {
            return ctx.fail("greedy returned null; it returns the new ids");
        }
        return judge(Recording.of(model), returned, expected(c.script(), c.stops(), c.max()), ids(streamed.values()));
    }

    private CheckResult judge(Recording model, int[] returned, int[] expected, int[] streamed) {
        boolean stopped = expected.length < c.max() && expected.length < c.script().length;
        int stopId = stopped ? c.script()[expected.length] : -1;
        if (!Arrays.equals(returned, expected)) {
            return wrongTokens(model, returned, expected, stopped, stopId);
        }
        int needed = Math.min(model.inputs().size(), expected.length + (stopped ? 1 : 0));
        for (int k = 0; k < needed; k++) {
            int[] want = Show.concat(c.prompt(), Arrays.copyOf(expected, k));
            int[] got = model.inputs().get(k);
            if (Arrays.equals(got, want)) {
                continue;
            }
            String message = "call " + (k + 1) + " to forward got the ids " + Show.ids(got) + "; it should get "
                    + "the prompt and every token chosen so far, " + Show.ids(want);
            if (k > 0 && got.length == 1 && got[0] == expected[k - 1]) {
                return ctx.fail(message, GenerateTag.LAST_TOKEN_ONLY);
            }
            if (k > 0 && Arrays.equals(got, c.prompt())) {
                return ctx.fail(message, GenerateTag.SEQUENCE_NOT_EXTENDED);
            }
            return ctx.fail(message);
        }
        if (!Arrays.equals(streamed, returned)) {
            return ctx.fail("onToken received " + Show.ids(streamed) + " but greedy returned " + Show.ids(returned)
                    + "; each new id goes to onToken once, as it is chosen", GenerateTag.TOKENS_NOT_STREAMED);
        }
        for (int k = 1; k < needed; k++) {
            if (model.progressAtCall().get(k) < k) {
                return ctx.fail("when forward was called for token " + (k + 1) + ", onToken had received only "
                        + model.progressAtCall().get(k) + " of the " + k + " tokens chosen before",
                        GenerateTag.TOKENS_NOT_STREAMED);
            }
        }
        return ctx.pass("generated " + Show.ids(returned)
                + (stopped ? " and stopped at stop id " + stopId : ", the limit of " + c.max() + " tokens"));
    }

    private CheckResult wrongTokens(Recording model, int[] returned, int[] expected, boolean stopped, int stopId) {
        String got = "greedy returned " + Show.ids(returned) + ", expected " + Show.ids(expected);
        if (returned.length >= c.prompt().length
                && Arrays.equals(Arrays.copyOf(returned, c.prompt().length), c.prompt())) {
            return ctx.fail(got + ": it begins with the prompt, and only the new ids are returned",
                    GenerateTag.PROMPT_RETURNED);
        }
        int j = 0;
        while (j < returned.length && j < expected.length && returned[j] == expected[j]) {
            j++;
        }
        if (j == expected.length) {
            if (stopped && returned[j] == stopId) {
                return returned.length == j + 1
                        ? ctx.fail(got + ": the stop id " + stopId + " ends the answer but is not part of it",
                                GenerateTag.STOP_TOKEN_RETURNED)
                        : ctx.fail(got + ": the model chose the stop id " + stopId + " after " + Show.tokens(j)
                                + ", and greedy went on", GenerateTag.STOP_IGNORED);
            }
            return stopped ? ctx.fail(got)
                    : ctx.fail(got + ": with maxNewTokens " + c.max() + " it returned " + returned.length + " tokens",
                            GenerateTag.LIMIT_WRONG);
        }
        if (j == returned.length) {
            boolean shortByOne = !stopped && returned.length == c.max() - 1;
            String message = got + ": it stopped after " + Show.tokens(j) + ", though the model's next choice "
                    + expected[j] + " is no stop id" + (shortByOne ? " and the limit " + c.max() + " was not reached" : "");
            return shortByOne ? ctx.fail(message, GenerateTag.LIMIT_WRONG) : ctx.fail(message);
        }
        int picked = returned[j];
        String where = got + ": new token " + (j + 1) + " is " + picked + ", while the last position's best score is "
                + expected[j];
        if (j < model.favourites().size()) {
            int[] rows = model.favourites().get(j);
            for (int r = 0; r < rows.length - 1; r++) {
                if (picked == rows[r] || picked == r * VOCAB + rows[r]) {
                    return ctx.fail(where + ", and " + picked + " is the best of position " + r + " of " + rows.length,
                            GenerateTag.WRONG_ROW);
                }
            }
        }
        return ctx.fail(where, GenerateTag.NOT_ARGMAX);
    }

    /** The ids the recorder received; anything else there is the student's wrong output. */
    static int[] ids(List<Object> values) {
        int[] ids = new int[values.size()];
        for (int i = 0; i < ids.length; i++) {
            if (!(values.get(i) instanceof Integer id)) {
                throw new WrongOutput("onToken was given " + values.get(i) + ", which is no token id", List.of(),
                        null, null);
            }
            ids[i] = id;
        }
        return ids;
    }
}
