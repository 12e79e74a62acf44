package dev.cairn.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import org.junit.jupiter.api.Test;

/** Bad input has a defined result (undefined metrics with reasons) or a clear {@link CairnException}. */
class MetricsBadInputTest {
    @Test
    void noRowsGiveEveryMetricUndefinedWithAReason() {
        MetricValues m = BinaryAccumulator.evaluate(new boolean[0], new double[0], 0.5);
        assertThat(m.count()).isZero();
        assertThat(m.values()).isEmpty();
        assertThat(m.undefined()).containsOnlyKeys(Task.BINARY_CLASSIFICATION.metrics());
        assertThat(m.undefinedReason(Metric.AUC)).contains("no rows");
        MetricValues r = RegressionAccumulator.evaluate(new double[0], new double[0]);
        assertThat(r.undefined()).containsOnlyKeys(Task.REGRESSION.metrics());
    }

    @Test
    void singleClassLeavesAucUndefinedButTheRestDefined() {
        MetricValues m =
                BinaryAccumulator.evaluate(new boolean[] {false, false, false}, new double[] {0.1, 0.7, 0.2}, 0.5);
        assertThat(m.value(Metric.AUC)).isEmpty();
        assertThat(m.undefinedReason(Metric.AUC).orElseThrow())
                .contains("single class")
                .contains("0 positive of 3");
        assertThat(m.value(Metric.ACCURACY).getAsDouble()).isEqualTo(2.0 / 3);
        assertThat(m.value(Metric.LOG_LOSS)).isPresent();
    }

    @Test
    void nanScoreIsRefusedNamingTheRow() {
        assertThatThrownBy(() ->
                        BinaryAccumulator.evaluate(new boolean[] {true, false}, new double[] {0.3, Double.NaN}, 0.5))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("NaN at row 1")
                .extracting(e -> ((CairnException) e).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThatThrownBy(() -> RegressionAccumulator.evaluate(new double[] {1, 2}, new double[] {1, Double.NaN}))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("row 1");
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThatThrownBy(() -> BinaryAccumulator.evaluate(new boolean[3], new double[2], 0.5))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("3 labels, 2 scores");
        assertThatThrownBy(() -> RegressionAccumulator.evaluate(new double[1], new double[4]))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("1 labels, 4 predictions");
    }

    @Test
    void scoresOutsideTheUnitIntervalLeaveProbabilityMetricsUndefined() {
        MetricValues m = BinaryAccumulator.evaluate(
                new boolean[] {true, false, true}, new double[] {2.5, -1, Double.POSITIVE_INFINITY}, 0.5);
        assertThat(m.value(Metric.AUC).getAsDouble()).isEqualTo(1.0);
        assertThat(m.undefinedReason(Metric.LOG_LOSS).orElseThrow()).contains("not a probability");
        assertThat(m.value(Metric.BRIER)).isEmpty();
    }

    @Test
    void negativeZeroTiesWithZeroInTheAuc() {
        MetricValues m = BinaryAccumulator.evaluate(new boolean[] {true, false}, new double[] {-0.0, 0.0}, 0.5);
        assertThat(m.value(Metric.AUC).getAsDouble()).isEqualTo(0.5);
    }

    @Test
    void oneRowRegressionHasNoR2() {
        MetricValues m = RegressionAccumulator.evaluate(new double[] {3}, new double[] {4});
        assertThat(m.value(Metric.RMSE).getAsDouble()).isEqualTo(1.0);
        assertThat(m.undefinedReason(Metric.R2).orElseThrow()).contains("at least two rows");
    }

    @Test
    void infiniteRegressionValuesAreRefused() {
        assertThatThrownBy(() ->
                        RegressionAccumulator.evaluate(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("label is not a finite number at row 1");
    }

    @Test
    void unknownMetricNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Metric.of("aucc"))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("aucc")
                .hasMessageContaining("log_loss");
        assertThat(Metric.of(" AUC ")).isEqualTo(Metric.AUC);
    }
}
