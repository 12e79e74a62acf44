package dev.cairn.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gate semantics: value, change (direction-aware), slice and fairness thresholds, tags and overrides. */
class GateTest {
    private static MetricValues binary(double auc, double logLoss) {
        return new MetricValues(
                1000, Map.of(Metric.AUC, auc, Metric.LOG_LOSS, logLoss, Metric.ACCURACY, 0.8), Map.of());
    }

    private static EvaluationResult result(MetricValues candidate, MetricValues baseline) {
        return new EvaluationResult(
                Task.BINARY_CLASSIFICATION, ModelComparison.of(candidate, baseline), List.of(), List.of());
    }

    @Test
    void valueThresholdsBlessOrNotWithTheValueInTheReason() {
        EvaluationGate gate = EvaluationGate.of(List.of(ValueThreshold.atLeast(Metric.AUC, 0.70)), List.of());
        Blessing ok = gate.evaluate(result(binary(0.71, 0.5), binary(0.7, 0.5)));
        assertThat(ok.verdict()).isEqualTo(Verdict.BLESSED);
        Blessing no = gate.evaluate(result(binary(0.69, 0.5), binary(0.7, 0.5)));
        assertThat(no.verdict()).isEqualTo(Verdict.NOT_BLESSED);
        assertThat(no.failures()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("auc 0.6900 violates >= 0.7000");
            assertThat(c.value()).isEqualTo(0.69);
            assertThat(c.threshold()).isEqualTo(0.70);
        });
    }

    @Test
    void absoluteChangeIsDirectionAware() {
        EvaluationGate gate = EvaluationGate.of(
                List.of(),
                List.of(ChangeThreshold.absolute(Metric.AUC, 0.01), ChangeThreshold.absolute(Metric.LOG_LOSS, 0.01)));
        // AUC dropped by 0.005 (allowed); log-loss rose by 0.02 (worse by more than 0.01).
        Blessing b = gate.evaluate(result(binary(0.745, 0.52), binary(0.75, 0.50)));
        assertThat(b.checks()).extracting(GateCheck::status).containsExactly(CheckStatus.PASSED, CheckStatus.FAILED);
        GateCheck failed = b.failures().get(0);
        assertThat(failed.metric()).isEqualTo("log_loss");
        assertThat(failed.baseline()).isEqualTo(0.50);
        assertThat(failed.reason()).contains("v_c - v_b = 0.0200 violates <= 0.0100");
        // A lower log-loss passes however large the improvement.
        assertThat(gate.evaluate(result(binary(0.80, 0.30), binary(0.75, 0.50))).blessed())
                .isTrue();
    }

    @Test
    void relativeChangeDividesByTheBaselineAndNegativeToleranceDemandsImprovement() {
        EvaluationGate gate = EvaluationGate.of(List.of(), List.of(ChangeThreshold.relative(Metric.AUC, -0.02)));
        // +1% relative is not the +2% demanded.
        Blessing b = gate.evaluate(result(binary(0.707, 0.5), binary(0.70, 0.5)));
        assertThat(b.blessed()).isFalse();
        assertThat(b.failures().get(0).reason()).contains("(v_c - v_b) / |v_b| = 0.0100 violates >= 0.0200");
        assertThat(gate.evaluate(result(binary(0.72, 0.5), binary(0.70, 0.5))).blessed())
                .isTrue();
    }

    @Test
    void firstModelSkipsChangeThresholdsWithAStatedReason() {
        EvaluationGate gate = EvaluationGate.of(
                List.of(ValueThreshold.atLeast(Metric.AUC, 0.6)), List.of(ChangeThreshold.absolute(Metric.AUC, 0)));
        EvaluationResult first = new EvaluationResult(
                Task.BINARY_CLASSIFICATION, ModelComparison.candidateOnly(binary(0.65, 0.5)), List.of(), List.of());
        Blessing b = gate.evaluate(first);
        assertThat(b.verdict()).isEqualTo(Verdict.BLESSED);
        assertThat(b.checks().get(1).status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(b.checks().get(1).reason()).startsWith("no baseline (first model)");
        assertThat(Blessing.reasonsOf(b.tags()))
                .containsExactly(b.checks().get(1).reason());
    }

    @Test
    void undefinedCandidateMetricFailsTheGate() {
        MetricValues noAuc =
                new MetricValues(5, Map.of(Metric.ACCURACY, 1.0), Map.of(Metric.AUC, "labels have a single class"));
        Blessing b = EvaluationGate.of(List.of(ValueThreshold.atLeast(Metric.AUC, 0.7)), List.of())
                .evaluate(result(noAuc, noAuc));
        assertThat(b.verdict()).isEqualTo(Verdict.NOT_BLESSED);
        assertThat(b.failures().get(0).reason()).contains("auc is undefined (labels have a single class)");
    }

    @Test
    void sliceThresholdsFindTheWorstSlice() {
        List<Slice> slices = new ArrayList<>();
        slices.add(new Slice("origin", "ATL", ModelComparison.of(binary(0.72, 0.5), binary(0.70, 0.5))));
        slices.add(new Slice("origin", "ORD", ModelComparison.of(binary(0.61, 0.5), binary(0.69, 0.5))));
        slices.add(new Slice(
                "origin",
                "SEA",
                ModelComparison.of(
                        new MetricValues(3, Map.of(), Map.of(Metric.AUC, "single class")), binary(0.7, 0.5))));
        EvaluationResult r = new EvaluationResult(
                Task.BINARY_CLASSIFICATION, ModelComparison.of(binary(0.7, 0.5), binary(0.7, 0.5)), slices, List.of());
        EvaluationGate gate = new EvaluationGate(
                List.of(),
                List.of(),
                List.of("origin"),
                10,
                List.of(
                        new SliceThreshold(Metric.AUC, SliceThreshold.Rule.MIN, 0.60),
                        new SliceThreshold(Metric.AUC, SliceThreshold.Rule.MAX_DEGRADATION, 0.05)),
                List.of(),
                List.of());
        Blessing b = gate.evaluate(r);
        assertThat(b.checks()).extracting(GateCheck::status).containsExactly(CheckStatus.PASSED, CheckStatus.FAILED);
        assertThat(b.checks().get(0).reason())
                .contains("worst slice origin=ORD: auc 0.6100 >= 0.6000")
                .contains("1 slice(s) with auc undefined");
        GateCheck drop = b.checks().get(1);
        assertThat(drop.scope()).isEqualTo("origin=ORD");
        assertThat(drop.value()).isCloseTo(0.08, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(drop.reason()).contains("degradation of auc 0.0800 violates <= 0.0500");
    }

    @Test
    void fairnessThresholdsJudgeEachAttribute() {
        Fairness f = Fairness.compute(
                "origin",
                new String[] {"a", "a", "b", "b"},
                new boolean[] {true, false, true, false},
                new double[] {0.9, 0.8, 0.2, 0.1},
                0.5);
        EvaluationResult r = new EvaluationResult(
                Task.BINARY_CLASSIFICATION, ModelComparison.candidateOnly(binary(0.7, 0.5)), List.of(), List.of(f));
        EvaluationGate gate = new EvaluationGate(
                List.of(),
                List.of(),
                List.of(),
                1,
                List.of(),
                List.of("origin"),
                List.of(new FairnessThreshold(FairnessMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, 0.2)));
        Blessing b = gate.evaluate(r);
        assertThat(b.verdict()).isEqualTo(Verdict.NOT_BLESSED);
        assertThat(b.failures().get(0).reason())
                .isEqualTo("demographic_parity_difference across origin 1.0000 violates <= 0.2000");
    }

    @Test
    void gateFileInYamlAndJsonReadsTheSame(@TempDir Path dir) throws Exception {
        String yaml = """
                metrics:
                  - {metric: auc, min: 0.70}
                  - {metric: log_loss, max: 0.65}
                changes:
                  - {metric: auc, absolute: 0.01}
                  - {metric: log_loss, relative: 0.05}
                slices:
                  column: origin
                  min_size: 100
                  thresholds:
                    - {metric: auc, min: 0.55}
                    - {metric: auc, max_degradation: 0.05}
                fairness:
                  attribute: origin
                  thresholds:
                    - {metric: demographic_parity_difference, max: 0.25}
                """;
        Path file = dir.resolve("gate.yaml");
        Files.writeString(file, yaml);
        EvaluationGate fromYaml = EvaluationGate.read(file);
        assertThat(fromYaml.metrics())
                .containsExactly(
                        ValueThreshold.atLeast(Metric.AUC, 0.70), ValueThreshold.atMost(Metric.LOG_LOSS, 0.65));
        assertThat(fromYaml.changes())
                .containsExactly(
                        ChangeThreshold.absolute(Metric.AUC, 0.01), ChangeThreshold.relative(Metric.LOG_LOSS, 0.05));
        assertThat(fromYaml.sliceColumns()).containsExactly("origin");
        assertThat(fromYaml.minSliceSize()).isEqualTo(100);
        assertThat(fromYaml.sliceThresholds()).hasSize(2);
        assertThat(fromYaml.fairnessAttributes()).containsExactly("origin");
        String json = """
                {"metrics": [{"metric": "auc", "min": 0.7}, {"metric": "log_loss", "max": 0.65}],
                 "changes": [{"metric": "auc", "absolute": 0.01}, {"metric": "log_loss", "relative": 0.05}],
                 "slices": {"columns": ["origin"], "min_size": 100, "thresholds": [
                     {"metric": "auc", "min": 0.55}, {"metric": "auc", "max_degradation": 0.05}]},
                 "fairness": {"attributes": ["origin"], "thresholds": [
                     {"metric": "demographic_parity_difference", "max": 0.25}]}}
                """;
        assertThat(EvaluationGate.parse(json)).isEqualTo(fromYaml);
    }

    @Test
    void gateFileErrorsNameTheField() {
        assertThatThrownBy(() -> EvaluationGate.parse("metrics:\n  - {metric: auc, minimum: 0.7}\n"))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("unknown field gate.metrics.minimum");
        assertThatThrownBy(() -> EvaluationGate.parse("changes:\n  - {metric: auc, absolute: high}\n"))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("gate.changes.absolute must be a number");
        assertThatThrownBy(() -> EvaluationGate.parse("changes:\n  - {metric: auc, absolute: 0.1, relative: 0.1}\n"))
                .hasMessageContaining("exactly one of absolute or relative");
        assertThatThrownBy(() -> EvaluationGate.parse(
                        "fairness:\n  thresholds:\n    - {metric: demographic_parity_difference, max: 0.1}\n"))
                .hasMessageContaining("need at least one fairness attribute");
        assertThatThrownBy(() -> EvaluationGate.parse("metrics: [\n"))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("not valid YAML/JSON");
        assertThat(EvaluationGate.parse("").metrics()).isEmpty();
    }

    @Test
    void blessingSerializesToJsonAndTags() throws Exception {
        EvaluationGate gate = EvaluationGate.of(
                List.of(ValueThreshold.atLeast(Metric.AUC, 0.9)), List.of(ChangeThreshold.absolute(Metric.AUC, 0)));
        Blessing b = gate.evaluate(result(binary(0.8, 0.5), binary(0.7, 0.5)));
        JsonNode json = new ObjectMapper().readTree(b.toJson());
        assertThat(json.get("verdict").asText()).isEqualTo("NOT_BLESSED");
        assertThat(json.get("checks").get(0).get("status").asText()).isEqualTo("FAILED");
        assertThat(json.get("checks").get(0).get("baseline").isNull()).isTrue();
        assertThat(json.get("checks").get(1).get("baseline").asDouble()).isEqualTo(0.7);
        Map<String, String> tags = b.tags();
        assertThat(tags)
                .containsEntry(Blessing.TAG, "NOT_BLESSED")
                .containsEntry(Blessing.SUMMARY_TAG, "1 passed, 1 failed, 0 skipped");
        assertThat(Blessing.verdictOf(tags)).contains(Verdict.NOT_BLESSED);
        assertThat(Blessing.reasonsOf(tags)).containsExactly("auc 0.8000 violates >= 0.9000");
    }

    @Test
    void reasonsTagIsCutToFitWithACount() {
        List<GateCheck> checks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            checks.add(new GateCheck(
                    "slice",
                    "auc",
                    "s" + i,
                    CheckStatus.FAILED,
                    0.1,
                    Double.NaN,
                    0.5,
                    "reason number " + i + " with enough text to take room in the tag"));
        }
        Map<String, String> tags = Blessing.of(checks).tags();
        assertThat(tags.get(Blessing.REASONS_TAG).length()).isLessThanOrEqualTo(Blessing.MAX_TAG_LENGTH);
        List<String> reasons = Blessing.reasonsOf(tags);
        assertThat(reasons.get(reasons.size() - 1)).matches("\\.\\.\\. \\d+ more");
    }

    @Test
    void promotionOfNotBlessedVersionNeedsAJustifiedOverride() {
        Map<String, String> tags = EvaluationGate.of(List.of(ValueThreshold.atLeast(Metric.AUC, 0.9)), List.of())
                .evaluate(result(binary(0.8, 0.5), binary(0.7, 0.5)))
                .tags();
        PromotionDecision refused = PromotionDecision.of(tags);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("NOT_BLESSED").contains("auc 0.8000 violates >= 0.9000");
        PromotionOverride override =
                new PromotionOverride("alice", Instant.parse("2026-11-23T10:00:00Z"), "holiday traffic, known gap");
        PromotionDecision allowed = PromotionDecision.of(tags, override);
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.reason()).contains("alice").contains("holiday traffic");
        assertThat(override.tags()).containsEntry(PromotionOverride.AT_TAG, "2026-11-23T10:00:00Z");
        assertThatThrownBy(() -> new PromotionOverride("alice", Instant.now(), "  ok "))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("justification");
        assertThat(PromotionDecision.of(Map.of()).allowed()).isTrue();
        assertThat(PromotionDecision.of(Map.of(Blessing.TAG, "BLESSED")).allowed())
                .isTrue();
        assertThatThrownBy(() -> PromotionDecision.of(Map.of(Blessing.TAG, "MAYBE")))
                .hasMessageContaining("BLESSED or NOT_BLESSED");
    }
}
