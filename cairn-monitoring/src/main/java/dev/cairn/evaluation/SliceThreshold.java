package dev.cairn.evaluation;

import dev.cairn.core.CairnException;

/**
 * A threshold every slice must meet: the candidate's metric in each slice at least ({@link Rule#MIN})
 * or at most ({@link Rule#MAX}) a value, or the worst slice's degradation against the baseline in the
 * same slice (absolute, in the metric's direction) at most a value ({@link Rule#MAX_DEGRADATION}).
 */
public record SliceThreshold(Metric metric, Rule rule, double value) {
    /** What is compared with the value. */
    public enum Rule {
        MIN,
        MAX,
        MAX_DEGRADATION
    }

    public SliceThreshold {
        CairnException.requireArgument(
                Double.isFinite(value),
                "slice threshold for metric " + metric.id() + " must be a finite number: " + value);
    }
}
