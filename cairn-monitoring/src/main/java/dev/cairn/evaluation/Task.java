package dev.cairn.evaluation;

import java.util.List;

/** The kind of model being evaluated, which decides the metrics computed. */
public enum Task {
    /** Labels are 0/1 (or false/true), scores are probabilities or any ranking score of the positive class. */
    BINARY_CLASSIFICATION(List.of(
            Metric.ACCURACY, Metric.PRECISION, Metric.RECALL, Metric.F1, Metric.AUC, Metric.LOG_LOSS, Metric.BRIER)),
    /** Labels and predictions are real numbers. */
    REGRESSION(List.of(Metric.RMSE, Metric.MAE, Metric.R2));

    private final List<Metric> metrics;

    Task(List<Metric> metrics) {
        this.metrics = metrics;
    }

    public List<Metric> metrics() {
        return metrics;
    }
}
