package dev.cairn.evaluation;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Scores a batch of holdout rows: a probability (or any ranking score) of the positive class, or a
 * regression prediction, one per row in order. Model predictors plug in through this interface.
 */
@FunctionalInterface
public interface Scorer {
    double[] score(List<HoldoutRow> batch);

    /** The scores already in a column of the holdout (for example predictions logged at serving time). */
    static Scorer column(String name) {
        return perRow(row -> row.number(name));
    }

    /** A scorer that scores each row on its own. */
    static Scorer perRow(ToDoubleFunction<HoldoutRow> function) {
        return batch -> {
            double[] out = new double[batch.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = function.applyAsDouble(batch.get(i));
            }
            return out;
        };
    }
}
