package dev.cairn.drift;

import java.util.HashMap;
import java.util.Map;

/** The streaming state of one categorical column in a window: an exact count per category, and nulls. */
final class CategoricalAccumulator {
    private final Map<String, long[]> counts = new HashMap<>();
    private long nulls;
    private long count;

    void acceptNull() {
        nulls++;
    }

    void accept(String category) {
        counts.computeIfAbsent(category, k -> new long[1])[0]++;
        count++;
    }

    void merge(CategoricalAccumulator other) {
        other.counts.forEach((k, v) -> counts.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        nulls += other.nulls;
        count += other.count;
    }

    long countOf(String category) {
        long[] c = counts.get(category);
        return c == null ? 0 : c[0];
    }

    Iterable<String> categories() {
        return counts.keySet();
    }

    int distinct() {
        return counts.size();
    }

    long count() {
        return count;
    }

    ValueCounts counts() {
        return new ValueCounts(count, nulls, 0, 0, 0);
    }
}
