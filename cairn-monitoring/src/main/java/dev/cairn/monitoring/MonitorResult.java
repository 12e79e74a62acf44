package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * One window of a monitor's time series: {@code status} {@code OK}, or {@code NO_DATA} for a window
 * without predictions (then {@code driftShare} is NaN and nothing can alert); per-column drift
 * ({@code columns}: column, test, threshold, statistic, score, drifted, status) and metrics
 * ({@code overall}, {@code slices}, {@code confusion}, {@code business}) as JSON.
 */
public record MonitorResult(
        String monitor,
        Instant windowStart,
        Instant windowEnd,
        String status,
        long rowCount,
        long labeledCount,
        double driftShare,
        boolean datasetDrift,
        JsonNode columns,
        JsonNode metrics) {
    public static final String OK = "OK";
    public static final String NO_DATA = "NO_DATA";

    /** A performance metric ({@code accuracy}, {@code auc}, {@code rmse}, ...) over all labeled rows. */
    public OptionalDouble metric(String id) {
        return value(metrics.path("overall").path(id));
    }

    /** A business metric's value for this window. */
    public OptionalDouble businessMetric(String name) {
        return value(metrics.path("business").path(name));
    }

    private static OptionalDouble value(JsonNode node) {
        return node.isNumber() ? OptionalDouble.of(node.asDouble()) : OptionalDouble.empty();
    }
}
