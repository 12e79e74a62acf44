package dev.cairn.evaluation;

import dev.cairn.core.CairnException;

/**
 * Regression metrics (RMSE, MAE, R²) accumulated in constant memory: compensated sums of squared and
 * absolute errors, and of the labels and their squares shifted by the first label, which keeps the
 * label variance accurate when the mean is large against the spread. Not thread-safe; merge
 * per-thread accumulators.
 */
public final class RegressionAccumulator {
    private long n;
    private double shift;
    private final CompensatedSum shifted = new CompensatedSum();
    private final CompensatedSum shiftedSquares = new CompensatedSum();
    private final CompensatedSum squaredErrors = new CompensatedSum();
    private final CompensatedSum absoluteErrors = new CompensatedSum();

    /** The metrics of {@code predictions} against {@code labels}; fails when the lengths differ or a value is NaN. */
    public static MetricValues evaluate(double[] labels, double[] predictions) {
        CairnException.requireArgument(
                labels.length == predictions.length,
                "labels and predictions differ in length: " + labels.length + " labels, " + predictions.length
                        + " predictions");
        RegressionAccumulator acc = new RegressionAccumulator();
        for (int i = 0; i < labels.length; i++) {
            acc.add(labels[i], predictions[i]);
        }
        return acc.result();
    }

    /** Adds one row; fails naming the row when the label or the prediction is not finite. */
    public void add(double label, double prediction) {
        CairnException.requireArgument(
                Double.isFinite(label), "label is not a finite number at row " + n + ": " + label);
        CairnException.requireArgument(
                Double.isFinite(prediction), "prediction is not a finite number at row " + n + ": " + prediction);
        if (n == 0) {
            shift = label;
        }
        n++;
        double d = label - shift;
        shifted.add(d);
        shiftedSquares.add(d * d);
        double err = prediction - label;
        squaredErrors.add(err * err);
        absoluteErrors.add(Math.abs(err));
    }

    /** Adds every row summarized by {@code other}. */
    public void addAll(RegressionAccumulator other) {
        if (other.n == 0) {
            return;
        }
        if (n == 0) {
            shift = other.shift;
        }
        // Re-express the other's sums around this shift: y - s = (y - s') + k with k = s' - s.
        double k = other.shift - shift;
        double s1 = other.shifted.value();
        shifted.add(other.shifted);
        shifted.add(other.n * k);
        shiftedSquares.add(other.shiftedSquares);
        shiftedSquares.add(2 * k * s1);
        shiftedSquares.add(other.n * k * k);
        n += other.n;
        squaredErrors.add(other.squaredErrors);
        absoluteErrors.add(other.absoluteErrors);
    }

    public long count() {
        return n;
    }

    public MetricValues result() {
        MetricValues.Builder out = new MetricValues.Builder(n);
        if (n == 0) {
            for (Metric m : Task.REGRESSION.metrics()) {
                out.undefined(m, "no rows");
            }
            return out.build();
        }
        double sse = squaredErrors.value();
        double s1 = shifted.value();
        double sst = Math.max(0, shiftedSquares.value() - s1 * s1 / n);
        out.put(Metric.RMSE, Math.sqrt(sse / n));
        out.put(Metric.MAE, absoluteErrors.value() / n);
        if (n < 2) {
            out.undefined(Metric.R2, "R² needs at least two rows, got " + n);
        } else if (sst == 0) {
            // scikit-learn's force_finite: a constant label is predicted perfectly (1) or not at all (0).
            out.put(Metric.R2, sse == 0 ? 1.0 : 0.0);
        } else {
            out.put(Metric.R2, 1 - sse / sst);
        }
        return out.build();
    }
}
