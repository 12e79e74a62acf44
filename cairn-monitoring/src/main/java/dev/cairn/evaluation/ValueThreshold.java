package dev.cairn.evaluation;

import dev.cairn.core.CairnException;

/** A bound on the candidate's overall metric: {@code value >= bound} ({@link Bound#MIN}) or {@code <=} ({@link Bound#MAX}). */
public record ValueThreshold(Metric metric, Bound bound, double value) {
    /** Which side of the threshold passes. */
    public enum Bound {
        MIN,
        MAX;

        boolean passes(double v, double threshold) {
            return this == MIN ? v >= threshold : v <= threshold;
        }

        String symbol() {
            return this == MIN ? ">=" : "<=";
        }
    }

    public ValueThreshold {
        CairnException.requireArgument(
                Double.isFinite(value), "threshold for metric " + metric.id() + " must be a finite number: " + value);
    }

    public static ValueThreshold atLeast(Metric metric, double value) {
        return new ValueThreshold(metric, Bound.MIN, value);
    }

    public static ValueThreshold atMost(Metric metric, double value) {
        return new ValueThreshold(metric, Bound.MAX, value);
    }
}
