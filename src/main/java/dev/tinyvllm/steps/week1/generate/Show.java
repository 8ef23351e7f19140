package dev.tinyvllm.steps.week1.generate;

import java.util.Arrays;

/** How the messages of week1/generate show ids and text. */
final class Show {

    private Show() {}

    /** A text for a report: quoted, newlines shown, and cut when long. */
    static String quote(String text) {
        String shown = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        return "\"" + shown.replace("\n", "\\n") + "\"";
    }

    /** Ids for a report, cut when long. */
    static String ids(int[] ids) {
        return ids.length <= 16 ? Arrays.toString(ids)
                : Arrays.toString(Arrays.copyOf(ids, 16)).replace("]", ", … (" + ids.length + " ids)]");
    }

    static String tokens(int n) {
        return n == 1 ? "1 token" : n + " tokens";
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
