package dev.cairn.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation over real flights (examples/data/flights-sample-6k.csv, label {@code delay > 15}): an
 * hour-of-day candidate against a distance baseline, with slices by origin and fairness across it.
 */
class HoldoutEvaluationTest {
    static final Path FLIGHTS = Path.of("..", "examples", "data", "flights-sample-6k.csv");
    static final Path MARCH = Path.of("..", "examples", "data", "flights-sample-versions", "flights-2001-03.parquet");
    private static final Pattern HOUR = Pattern.compile("[T ](\\d{2}):");

    /** Later departures are delayed more often: the candidate scores by hour of day. */
    static double hourScore(String date) {
        Matcher m = HOUR.matcher(date);
        if (!m.find()) {
            throw new IllegalArgumentException("no hour in " + date);
        }
        return 0.1 + 0.7 * Integer.parseInt(m.group(1)) / 23.0;
    }

    /** The baseline scores by distance only. */
    static double distanceScore(double miles) {
        return Math.min(1.0, miles / 3000.0);
    }

    static final Scorer CANDIDATE =
            Scorer.perRow(row -> hourScore(row.text("date").orElseThrow()));
    static final Scorer BASELINE = batch -> {
        double[] out = new double[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = distanceScore(batch.get(i).number("distance"));
        }
        return out;
    };

    /** The same flights read as plain text, to check the table path against the array path. */
    record Flights(boolean[] labels, double[] candidate, double[] baseline, String[] origins) {
        static Flights read(String onlyOrigin) throws IOException {
            List<String> lines = Files.readAllLines(FLIGHTS);
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                if (onlyOrigin == null || f[3].equals(onlyOrigin)) {
                    rows.add(f);
                }
            }
            Flights out = new Flights(
                    new boolean[rows.size()],
                    new double[rows.size()],
                    new double[rows.size()],
                    new String[rows.size()]);
            for (int i = 0; i < rows.size(); i++) {
                String[] f = rows.get(i);
                out.labels[i] = Integer.parseInt(f[1]) > 15;
                out.candidate[i] = hourScore(f[0]);
                out.baseline[i] = distanceScore(Double.parseDouble(f[2]));
                out.origins[i] = f[3];
            }
            return out;
        }
    }

    static void assertSameMetrics(MetricValues actual, MetricValues expected) {
        assertThat(actual.count()).isEqualTo(expected.count());
        for (Metric m : Task.BINARY_CLASSIFICATION.metrics()) {
            ReferenceVectorsTest.assertClose(
                    m.id(), actual.value(m).orElseThrow(), expected.value(m).orElseThrow());
        }
    }

    @Test
    void candidateAndBaselineOnRealFlightsMatchTheArrayComputation() throws IOException {
        EvaluationResult r = HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                .candidate(CANDIDATE)
                .baseline(BASELINE)
                .sliceBy("origin")
                .minSliceSize(150)
                .evaluate();
        Flights f = Flights.read(null);
        assertThat(r.overall().count()).isEqualTo(6000);
        assertSameMetrics(r.overall().candidate(), BinaryAccumulator.evaluate(f.labels, f.candidate, 0.5));
        assertSameMetrics(r.overall().baseline().orElseThrow(), BinaryAccumulator.evaluate(f.labels, f.baseline, 0.5));
        double candidateAuc = r.overall().candidate().value(Metric.AUC).getAsDouble();
        double baselineAuc =
                r.overall().baseline().orElseThrow().value(Metric.AUC).getAsDouble();
        assertThat(candidateAuc).isGreaterThan(baselineAuc + 0.02);
        // The same AUCs from scipy.stats.mannwhitneyu over the CSV (python3, numpy 2.4, scipy 1.17).
        ReferenceVectorsTest.assertClose("hour auc", candidateAuc, 0.607977655771751);
        ReferenceVectorsTest.assertClose("distance auc", baselineAuc, 0.5188621510891287);

        // Slices: every kept value has >= 150 rows, the rest is one (other) slice, and the rows add up.
        assertThat(r.slices()).isNotEmpty();
        assertThat(r.slices().get(r.slices().size() - 1).value()).isEqualTo(Slice.OTHER);
        assertThat(r.slices().stream().mapToLong(s -> s.metrics().count()).sum())
                .isEqualTo(6000);
        Slice largest = r.slices().get(0);
        assertThat(largest.metrics().count()).isGreaterThanOrEqualTo(150);
        Flights one = Flights.read(largest.value());
        assertSameMetrics(largest.metrics().candidate(), BinaryAccumulator.evaluate(one.labels, one.candidate, 0.5));
    }

    @Test
    void gateFileBlessesTheHourModelAndRecordsReasons() throws IOException {
        EvaluationGate gate = EvaluationGate.parse("""
                metrics:
                  - {metric: auc, min: 0.55}
                changes:
                  - {metric: auc, absolute: 0.0}
                  - {metric: log_loss, relative: 0.10}
                slices:
                  column: origin
                  min_size: 150
                  thresholds:
                    - {metric: auc, min: 0.45}
                fairness:
                  attribute: origin
                  thresholds:
                    - {metric: equal_opportunity_difference, max: 1.0}
                """);
        GatedEvaluation e = HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                .candidate(CANDIDATE)
                .baseline(BASELINE)
                .bless(gate);
        assertThat(e.blessing().failures()).isEmpty();
        assertThat(e.blessing().verdict()).isEqualTo(Verdict.BLESSED);
        assertThat(e.blessing().checks()).hasSize(5);
        // Fairness across origin agrees with the array computation.
        Flights f = Flights.read(null);
        Fairness expected = Fairness.compute("origin", f.origins, f.labels, f.candidate, 0.5);
        Fairness actual = e.result().fairness().get(0);
        assertThat(actual.groups()).isEqualTo(expected.groups());
        assertThat(actual.demographicParityDifference()).isEqualTo(expected.demographicParityDifference());

        // Swapping the roles: the distance model does not beat the hour model, so it is not blessed.
        GatedEvaluation swapped = HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                .candidate(BASELINE)
                .baseline(CANDIDATE)
                .bless(gate);
        assertThat(swapped.blessing().verdict()).isEqualTo(Verdict.NOT_BLESSED);
        assertThat(swapped.blessing().failures())
                .anySatisfy(c -> assertThat(c.reason()).startsWith("auc: v_c - v_b = -"));
        JsonNode json = new ObjectMapper().readTree(swapped.toJson());
        assertThat(json.at("/blessing/verdict").asText()).isEqualTo("NOT_BLESSED");
        assertThat(json.at("/evaluation/overall/candidate/count").asLong()).isEqualTo(6000);
        assertThat(json.at("/evaluation/slices").size())
                .isEqualTo(e.result().slices().size());
    }

    @Test
    void firstModelOnParquetIsJudgedOnValuesOnly() {
        EvaluationGate gate = EvaluationGate.parse(
                "{\"metrics\": [{\"metric\": \"auc\", \"min\": 0.5}], \"changes\": [{\"metric\": \"auc\", \"absolute\": 0}]}");
        GatedEvaluation e = HoldoutEvaluation.binary(MARCH, "delay > 15")
                .candidate(CANDIDATE)
                .bless(gate);
        assertThat(e.result().overall().count()).isEqualTo(1000);
        assertThat(e.result().hasBaseline()).isFalse();
        assertThat(e.blessing().checks().get(1).status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(e.blessing().tags().get(Blessing.REASONS_TAG)).contains("no baseline (first model)");
    }

    @Test
    void regressionOnDelayMinutes() {
        EvaluationResult r = HoldoutEvaluation.regression(FLIGHTS, "delay")
                .candidate(Scorer.perRow(row -> 30 * hourScore(row.text("date").orElseThrow()) - 5))
                .baseline(Scorer.perRow(row -> 8.0))
                .sliceBy("origin")
                .minSliceSize(200)
                .evaluate();
        assertThat(r.overall().candidate().value(Metric.RMSE)).isPresent();
        assertThat(r.overall().baseline().orElseThrow().value(Metric.R2).getAsDouble())
                .isLessThan(0.01);
        assertThat(r.slices())
                .allSatisfy(s ->
                        assertThat(s.metrics().candidate().value(Metric.MAE)).isPresent());
        assertThatThrownBy(() -> HoldoutEvaluation.regression(FLIGHTS, "delay").fairnessAcross("origin"))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("binary classification");
    }

    private static Path subset(Path dir, String name, String where) throws SQLException {
        Path out = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_csv_auto('" + FLIGHTS.toAbsolutePath() + "') WHERE " + where + ") TO '"
                    + out.toAbsolutePath() + "' (FORMAT PARQUET)");
        }
        return out;
    }

    @Test
    void emptyHoldoutGivesUndefinedMetricsAndIsNotBlessed(@TempDir Path dir) throws SQLException {
        Path empty = subset(dir, "empty.parquet", "false");
        GatedEvaluation e = HoldoutEvaluation.binary(empty, "delay > 15")
                .candidate(CANDIDATE)
                .baseline(BASELINE)
                .sliceBy("origin")
                .bless(EvaluationGate.of(
                        List.of(ValueThreshold.atLeast(Metric.AUC, 0.6)),
                        List.of(ChangeThreshold.absolute(Metric.AUC, 0))));
        assertThat(e.result().overall().count()).isZero();
        assertThat(e.result().slices()).isEmpty();
        assertThat(e.result().overall().candidate().undefinedReason(Metric.ACCURACY))
                .contains("no rows");
        assertThat(e.blessing().verdict()).isEqualTo(Verdict.NOT_BLESSED);
        assertThat(e.blessing().checks())
                .extracting(GateCheck::status)
                .containsExactly(CheckStatus.FAILED, CheckStatus.FAILED);
    }

    @Test
    void singleClassHoldoutLeavesAucUndefinedWithAReason(@TempDir Path dir) throws SQLException {
        Path delayed = subset(dir, "delayed.parquet", "delay > 60");
        EvaluationResult r = HoldoutEvaluation.binary(delayed, "delay > 15")
                .candidate(CANDIDATE)
                .baseline(BASELINE)
                .evaluate();
        assertThat(r.overall().count()).isPositive();
        assertThat(r.overall().candidate().value(Metric.AUC)).isEmpty();
        assertThat(r.overall().candidate().undefinedReason(Metric.AUC).orElseThrow())
                .contains("single class");
        assertThat(r.overall().candidate().value(Metric.RECALL)).isPresent();
        Blessing b = EvaluationGate.of(List.of(), List.of(ChangeThreshold.absolute(Metric.AUC, 0)))
                .evaluate(r);
        assertThat(b.verdict()).isEqualTo(Verdict.NOT_BLESSED);
        assertThat(b.failures().get(0).reason()).contains("candidate auc is undefined");
    }

    @Test
    void nanScoresAndWrongBatchLengthsAreRefusedNamingTheRow() {
        Scorer nanAtRow7 = Scorer.perRow(row -> row.index() == 7 ? Double.NaN : 0.5);
        assertThatThrownBy(() -> HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                        .candidate(nanAtRow7)
                        .evaluate())
                .isInstanceOf(CairnException.class)
                .hasMessage("candidate score is NaN at row 7");
        Scorer short1 = batch -> new double[batch.size() - 1];
        assertThatThrownBy(() -> HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                        .candidate(CANDIDATE)
                        .baseline(short1)
                        .evaluate())
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("baseline scorer returned 1023 scores for a batch of 1024 rows");
    }

    @Test
    void badColumnsAndLabelsAreRefusedClearly() {
        assertThatThrownBy(() -> HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                        .candidate(CANDIDATE)
                        .sliceBy("carrier")
                        .evaluate())
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("slice column carrier is not a column");
        assertThatThrownBy(() -> HoldoutEvaluation.binary(FLIGHTS, "arrival_delay > 15")
                        .candidate(CANDIDATE)
                        .evaluate())
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("label expression 'arrival_delay > 15' cannot be evaluated");
        assertThatThrownBy(() -> HoldoutEvaluation.binary(FLIGHTS, "delay")
                        .candidate(CANDIDATE)
                        .evaluate())
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("must be 0 or 1 at row 0: 28.0");
        assertThatThrownBy(() -> HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                        .candidate(Scorer.column("score"))
                        .evaluate())
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("holdout has no column score");
        assertThatThrownBy(() ->
                        HoldoutEvaluation.binary(Path.of("missing.csv"), "x").evaluate())
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("does not exist");
        assertThat(Map.of()).isEmpty();
    }
}
