package dev.tinyvllm.review;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Medians, the figure a class's spread calls for (one stuck student does not move it much). */
final class Stats {

    private Stats() {}

    /** The median of whole milliseconds, rounded down between the two middle values; null when empty. */
    static Long median(Collection<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : Math.floorDiv(sorted.get(n / 2 - 1) + sorted.get(n / 2), 2);
    }

    /** The median of counts; between the two middle values it is their mean (2.5 attempts). */
    static Double medianOfCounts(Collection<Integer> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Integer> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
