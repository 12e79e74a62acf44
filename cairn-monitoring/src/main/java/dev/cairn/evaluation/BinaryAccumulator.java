package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import java.util.Arrays;

/**
 * Binary-classification metrics accumulated row by row: confusion counts at a decision threshold
 * (a row is predicted positive when its score is {@code >= threshold}), and the scores themselves,
 * kept so that ROC AUC is exact (16 bytes a row). Not thread-safe; merge per-thread accumulators.
 */
public final class BinaryAccumulator {
    /** The clipping of probabilities in log-loss: the double-precision machine epsilon, as scikit-learn. */
    static final double LOG_LOSS_EPS = Math.ulp(1.0);

    private final double threshold;
    private boolean[] labels = new boolean[16];
    private double[] scores = new double[16];
    private int n;
    private long tp;
    private long fp;
    private long tn;
    private long fn;

    public BinaryAccumulator(double threshold) {
        CairnException.requireArgument(Double.isFinite(threshold), "threshold must be a finite number: " + threshold);
        this.threshold = threshold;
    }

    /** The metrics of {@code scores} against {@code labels}; fails when the lengths differ or a score is NaN. */
    public static MetricValues evaluate(boolean[] labels, double[] scores, double threshold) {
        CairnException.requireArgument(
                labels.length == scores.length,
                "labels and scores differ in length: " + labels.length + " labels, " + scores.length + " scores");
        BinaryAccumulator acc = new BinaryAccumulator(threshold);
        for (int i = 0; i < labels.length; i++) {
            acc.add(labels[i], scores[i]);
        }
        return acc.result();
    }

    public double threshold() {
        return threshold;
    }

    /** Adds one row; fails naming the row when the score is NaN. */
    public void add(boolean label, double score) {
        if (Double.isNaN(score)) {
            throw CairnException.invalid("score is NaN at row " + n + " (label " + label + ")");
        }
        if (n == labels.length) {
            labels = Arrays.copyOf(labels, n * 2);
            scores = Arrays.copyOf(scores, n * 2);
        }
        labels[n] = label;
        scores[n] = score + 0.0; // -0.0 becomes 0.0: the two must tie in the AUC ranking
        n++;
        boolean predicted = score >= threshold;
        if (label) {
            if (predicted) {
                tp++;
            } else {
                fn++;
            }
        } else if (predicted) {
            fp++;
        } else {
            tn++;
        }
    }

    /** Adds every row of {@code other}, which must use the same threshold. */
    public void addAll(BinaryAccumulator other) {
        CairnException.requireArgument(
                other.threshold == threshold,
                "cannot merge accumulators with thresholds " + threshold + " and " + other.threshold);
        for (int i = 0; i < other.n; i++) {
            add(other.labels[i], other.scores[i]);
        }
    }

    public long count() {
        return n;
    }

    long truePositives() {
        return tp;
    }

    long falsePositives() {
        return fp;
    }

    long falseNegatives() {
        return fn;
    }

    public MetricValues result() {
        MetricValues.Builder out = new MetricValues.Builder(n);
        if (n == 0) {
            for (Metric m : Task.BINARY_CLASSIFICATION.metrics()) {
                out.undefined(m, "no rows");
            }
            return out.build();
        }
        out.put(Metric.ACCURACY, (double) (tp + tn) / n);
        // scikit-learn's zero_division default: 0 when nothing is predicted (precision) or present (recall).
        double precision = tp + fp == 0 ? 0.0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0.0 : (double) tp / (tp + fn);
        out.put(Metric.PRECISION, precision);
        out.put(Metric.RECALL, recall);
        out.put(Metric.F1, tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn));
        long positives = tp + fn;
        if (positives == 0 || positives == n) {
            out.undefined(
                    Metric.AUC,
                    "labels have a single class (" + positives + " positive of " + n + " rows): ROC AUC is undefined");
        } else {
            out.put(Metric.AUC, auc());
        }
        probabilityMetrics(out);
        return out.build();
    }

    /**
     * The exact ROC AUC: the Mann-Whitney U of the positives' scores over the negatives', ties counted
     * one half, divided by (positives x negatives); integer counts keep it exact before the one division.
     */
    private double auc() {
        int positives = (int) (tp + fn);
        double[] pos = new double[positives];
        double[] neg = new double[n - positives];
        for (int i = 0, p = 0, q = 0; i < n; i++) {
            if (labels[i]) {
                pos[p++] = scores[i];
            } else {
                neg[q++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        long twiceU = 0;
        int below = 0;
        int atOrBelow = 0;
        for (double s : pos) {
            while (below < neg.length && neg[below] < s) {
                below++;
            }
            atOrBelow = Math.max(atOrBelow, below);
            while (atOrBelow < neg.length && neg[atOrBelow] <= s) {
                atOrBelow++;
            }
            twiceU += below + atOrBelow;
        }
        return twiceU / (2.0 * pos.length * neg.length);
    }

    private void probabilityMetrics(MetricValues.Builder out) {
        for (int i = 0; i < n; i++) {
            if (!(scores[i] >= 0 && scores[i] <= 1)) {
                String reason = "score " + scores[i] + " at row " + i + " is not a probability in [0, 1]";
                out.undefined(Metric.LOG_LOSS, reason);
                out.undefined(Metric.BRIER, reason);
                return;
            }
        }
        CompensatedSum logLoss = new CompensatedSum();
        CompensatedSum brier = new CompensatedSum();
        for (int i = 0; i < n; i++) {
            double p = Math.min(Math.max(scores[i], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
            logLoss.add(labels[i] ? -Math.log(p) : -Math.log(1 - p));
            double err = scores[i] - (labels[i] ? 1 : 0);
            brier.add(err * err);
        }
        out.put(Metric.LOG_LOSS, logLoss.value() / n);
        out.put(Metric.BRIER, brier.value() / n);
    }
}
