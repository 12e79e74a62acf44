package dev.cairn.tracking;

/**
 * One point of a metric series. A point is identified by (run, key, step, timestamp, value), so
 * logging the same point twice is idempotent.
 */
public record Metric(String key, double value, long timestamp, long step) {}
