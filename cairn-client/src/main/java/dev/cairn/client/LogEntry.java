package dev.cairn.client;

/** One value waiting in the log queue, addressed to a run. */
sealed interface LogEntry permits LogEntry.MetricPoint, LogEntry.ParamValue, LogEntry.TagValue {
    String runId();

    record MetricPoint(String runId, Metric metric) implements LogEntry {}

    record ParamValue(String runId, String key, String value) implements LogEntry {}

    record TagValue(String runId, String key, String value) implements LogEntry {}
}
