package dev.cairn.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metrics agree with scikit-learn's and Fairlearn's definitions on the vectors of {@code make_eval_vectors.py}. */
class ReferenceVectorsTest {
    private static JsonNode vectors;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ReferenceVectorsTest.class.getResourceAsStream("/evaluation/eval-vectors.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
    }

    /** 1e-12, relative to the magnitude above 1. */
    static void assertClose(String what, double actual, double expected) {
        assertThat(Math.abs(actual - expected))
                .as("%s: %s vs reference %s", what, actual, expected)
                .isLessThanOrEqualTo(1e-12 * Math.max(1.0, Math.abs(expected)));
    }

    static void assertMetric(String name, MetricValues values, Metric metric, JsonNode expected) {
        JsonNode e = expected.get(metric.id());
        if (e == null || e.isNull()) {
            assertThat(values.value(metric)).as(name + " " + metric.id()).isEmpty();
            assertThat(values.undefinedReason(metric))
                    .as(name + " " + metric.id() + " reason")
                    .isPresent();
        } else {
            assertThat(values.value(metric)).as(name + " " + metric.id()).isPresent();
            assertClose(name + " " + metric.id(), values.value(metric).getAsDouble(), e.asDouble());
        }
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static boolean[] booleans(JsonNode array) {
        boolean[] out = new boolean[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt() == 1;
        }
        return out;
    }

    @Test
    void binaryMetricsAgreeWithReference() {
        assertThat(vectors.get("binary").size()).isGreaterThanOrEqualTo(9);
        for (JsonNode c : vectors.get("binary")) {
            String name = c.get("name").asText();
            MetricValues m = BinaryAccumulator.evaluate(
                    booleans(c.get("labels")),
                    doubles(c.get("scores")),
                    c.get("threshold").asDouble());
            assertThat(m.count()).isEqualTo(c.get("labels").size());
            for (Metric metric : Task.BINARY_CLASSIFICATION.metrics()) {
                assertMetric(name, m, metric, c);
            }
        }
    }

    @Test
    void binaryMetricsAreTheSameWhenAccumulatedInParts() {
        JsonNode c = vectors.get("binary").get(0);
        boolean[] labels = booleans(c.get("labels"));
        double[] scores = doubles(c.get("scores"));
        BinaryAccumulator first = new BinaryAccumulator(0.5);
        BinaryAccumulator second = new BinaryAccumulator(0.5);
        for (int i = 0; i < labels.length; i++) {
            (i % 3 == 0 ? first : second).add(labels[i], scores[i]);
        }
        first.addAll(second);
        MetricValues merged = first.result();
        for (Metric metric : Task.BINARY_CLASSIFICATION.metrics()) {
            assertMetric("merged", merged, metric, c);
        }
    }

    @Test
    void regressionMetricsAgreeWithReference() {
        for (JsonNode c : vectors.get("regression")) {
            String name = c.get("name").asText();
            MetricValues m = RegressionAccumulator.evaluate(doubles(c.get("labels")), doubles(c.get("predictions")));
            for (Metric metric : Task.REGRESSION.metrics()) {
                assertMetric(name, m, metric, c);
            }
        }
    }

    @Test
    void regressionAccumulatorsMergeToTheSameMetrics() {
        JsonNode c = vectors.get("regression").get(1);
        double[] y = doubles(c.get("labels"));
        double[] p = doubles(c.get("predictions"));
        RegressionAccumulator a = new RegressionAccumulator();
        RegressionAccumulator b = new RegressionAccumulator();
        for (int i = 0; i < y.length; i++) {
            (i < y.length / 3 ? a : b).add(y[i], p[i]);
        }
        a.addAll(b);
        for (Metric metric : Task.REGRESSION.metrics()) {
            assertMetric("merged", a.result(), metric, c);
        }
    }

    @Test
    void fairnessAgreesWithFairlearnDefinitions() {
        for (JsonNode c : vectors.get("fairness")) {
            String name = c.get("name").asText();
            String[] groups = new String[c.get("groups").size()];
            for (int i = 0; i < groups.length; i++) {
                groups[i] = c.get("groups").get(i).asText();
            }
            Fairness f = Fairness.compute(
                    "group",
                    groups,
                    booleans(c.get("labels")),
                    doubles(c.get("scores")),
                    c.get("threshold").asDouble());
            assertClose(
                    name + " demographic parity",
                    f.demographicParityDifference(),
                    c.get("demographic_parity_difference").asDouble());
            assertClose(
                    name + " equal opportunity",
                    f.equalOpportunityDifference(),
                    c.get("equal_opportunity_difference").asDouble());
        }
    }

    @Test
    void groupWithoutPositivesIsLeftOutOfEqualOpportunityWithANote() {
        Fairness f = Fairness.compute(
                "g",
                new String[] {"a", "a", "b", "b"},
                new boolean[] {false, false, true, false},
                new double[] {0.9, 0.1, 0.8, 0.2},
                0.5);
        assertThat(f.groups()).extracting(GroupRates::group).containsExactly("a", "b");
        assertThat(f.demographicParityDifference()).isEqualTo(0.0);
        assertThat(f.equalOpportunityDifference()).isEqualTo(0.0);
        assertThat(f.equalOpportunityNote()).contains("1 group(s) without a positive label");
        assertThat(f.toMap()).containsKey("groups");
    }
}
