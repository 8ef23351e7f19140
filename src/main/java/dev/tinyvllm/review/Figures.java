package dev.tinyvllm.review;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** How the reports write times, shares and counts for people. */
final class Figures {

    private Figures() {}

    /** {@code 850 ms}, {@code 42s}, {@code 12m 05s}, {@code 1h 02m}. */
    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    /** A point in a session: {@code +04:12}, or {@code +1:04:12} past an hour. */
    static String offset(long ms) {
        long s = ms / 1000;
        return s < 3600
                ? String.format(Locale.ROOT, "+%02d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "+%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    static String percent(Double share) {
        return share == null ? "-" : Math.round(share * 100) + "%";
    }

    /** {@code 3} or {@code 2.5}. */
    static String count(Double value) {
        if (value == null) {
            return "-";
        }
        return value == Math.rint(value) ? String.valueOf(value.longValue()) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** {@code code 2, overlap 1}. */
    static String counts(Map<String, Integer> counts) {
        StringJoiner out = new StringJoiner(", ");
        counts.forEach((k, v) -> out.add(k + " " + v));
        return out.toString();
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
