package dev.cairn.drift;

import java.util.List;

/**
 * The drift verdict for one column: the test and threshold used, the statistic and the score compared
 * with the threshold, the counts of values on each side, and the categories the reference never saw.
 * {@code approximate} is true when a side was summarized in bins, and {@code errorBound} then bounds
 * the absolute error of the score's underlying statistic (0 when exact; see the README).
 */
public record ColumnDrift(
        String column,
        ColumnKind kind,
        ColumnStatus status,
        DriftTest test,
        double threshold,
        double statistic,
        double score,
        boolean drifted,
        boolean approximate,
        double errorBound,
        ValueCounts reference,
        ValueCounts current,
        long unseenCategories,
        List<String> unseenExamples) {
    public ColumnDrift {
        unseenExamples = List.copyOf(unseenExamples);
    }
}
