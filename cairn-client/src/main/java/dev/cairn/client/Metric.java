package dev.cairn.client;

/**
 * One point of a metric series.
 *
 * @param timestamp milliseconds since the epoch, taken by the client when the point was logged
 */
public record Metric(String key, double value, long timestamp, long step) {}
