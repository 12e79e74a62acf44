package dev.cairn.evaluation;

import dev.cairn.core.CairnException;

/**
 * How much worse than the baseline the candidate may be on the same holdout, in the metric's own
 * direction: for a higher-is-better metric an absolute threshold t requires {@code v_c - v_b >= -t}
 * and a relative one {@code (v_c - v_b) / |v_b| >= -t}; for a lower-is-better metric the sign flips
 * ({@code v_c - v_b <= t}). A negative t demands an improvement of at least |t|.
 */
public record ChangeThreshold(Metric metric, Kind kind, double tolerance) {
    /** Whether the change is measured in the metric's units or as a share of the baseline. */
    public enum Kind {
        ABSOLUTE,
        RELATIVE
    }

    public ChangeThreshold {
        CairnException.requireArgument(
                Double.isFinite(tolerance),
                "change threshold for metric " + metric.id() + " must be a finite number: " + tolerance);
    }

    public static ChangeThreshold absolute(Metric metric, double tolerance) {
        return new ChangeThreshold(metric, Kind.ABSOLUTE, tolerance);
    }

    public static ChangeThreshold relative(Metric metric, double tolerance) {
        return new ChangeThreshold(metric, Kind.RELATIVE, tolerance);
    }
}
