package dev.cairn.evaluation;

import dev.cairn.core.CairnException;

/** An upper bound on a fairness difference of the candidate, across every attribute evaluated. */
public record FairnessThreshold(FairnessMetric metric, double max) {
    public FairnessThreshold {
        CairnException.requireArgument(
                Double.isFinite(max) && max >= 0,
                "fairness threshold for " + metric.id() + " must be a finite non-negative number: " + max);
    }
}
