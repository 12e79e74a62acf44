package dev.cairn.cards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.evaluation.Blessing;
import dev.cairn.evaluation.CheckStatus;
import dev.cairn.evaluation.EvaluationResult;
import dev.cairn.evaluation.Fairness;
import dev.cairn.evaluation.GateCheck;
import dev.cairn.evaluation.GatedEvaluation;
import dev.cairn.evaluation.GroupRates;
import dev.cairn.evaluation.Metric;
import dev.cairn.evaluation.MetricValues;
import dev.cairn.evaluation.ModelComparison;
import dev.cairn.evaluation.Slice;
import dev.cairn.evaluation.Task;
import dev.cairn.evaluation.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back the JSON an evaluation is written as ({@link GatedEvaluation#toJson()}: {@code
 * evaluation} and {@code blessing}); a missing number is NaN, an unknown metric name is left out.
 */
final class EvaluationDocument {
    private EvaluationDocument() {}

    static GatedEvaluation parse(JsonNode document) {
        JsonNode evaluation = document.path("evaluation");
        JsonNode blessing = document.path("blessing");
        if (!evaluation.isObject() || !blessing.isObject()) {
            throw new CairnException(ErrorCode.INVALID_STATE, "evaluation record lacks 'evaluation' or 'blessing'");
        }
        Task task = enumOf(Task.class, evaluation.path("task").asText(), "task");
        List<Slice> slices = new ArrayList<>();
        evaluation
                .path("slices")
                .forEach(s -> slices.add(
                        new Slice(s.path("column").asText(), s.path("value").asText(), comparison(s))));
        List<Fairness> fairness = new ArrayList<>();
        evaluation.path("fairness").forEach(f -> fairness.add(fairness(f)));
        EvaluationResult result = new EvaluationResult(task, comparison(evaluation.path("overall")), slices, fairness);
        List<GateCheck> checks = new ArrayList<>();
        blessing.path("checks").forEach(c -> checks.add(check(c)));
        Verdict verdict = enumOf(Verdict.class, blessing.path("verdict").asText(), "blessing.verdict");
        return new GatedEvaluation(result, new Blessing(verdict, checks));
    }

    private static ModelComparison comparison(JsonNode node) {
        MetricValues candidate = values(node.path("candidate"));
        JsonNode baseline = node.path("baseline");
        return baseline.isObject()
                ? ModelComparison.of(candidate, values(baseline))
                : ModelComparison.candidateOnly(candidate);
    }

    private static MetricValues values(JsonNode node) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        Map<Metric, String> undefined = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            JsonNode v = node.path(m.id());
            if (v.isNumber()) {
                values.put(m, v.asDouble());
            }
            JsonNode reason = node.path("undefined").path(m.id());
            if (reason.isTextual()) {
                undefined.put(m, reason.asText());
            }
        }
        return new MetricValues(node.path("count").asLong(), values, undefined);
    }

    private static Fairness fairness(JsonNode node) {
        List<GroupRates> groups = new ArrayList<>();
        node.path("groups")
                .forEach(g -> groups.add(new GroupRates(
                        g.path("group").asText(),
                        g.path("count").asLong(),
                        g.path("positives").asLong(),
                        number(g.path("selection_rate")),
                        number(g.path("true_positive_rate")))));
        return new Fairness(
                node.path("attribute").asText(),
                groups,
                number(node.path("demographic_parity_difference")),
                number(node.path("equal_opportunity_difference")),
                node.path("note").asText(""));
    }

    private static GateCheck check(JsonNode node) {
        return new GateCheck(
                node.path("kind").asText(),
                node.path("metric").asText(),
                node.path("scope").asText(),
                enumOf(CheckStatus.class, node.path("status").asText(), "check status"),
                number(node.path("value")),
                number(node.path("baseline")),
                number(node.path("threshold")),
                node.path("reason").asText());
    }

    private static double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
        }
        throw new CairnException(ErrorCode.INVALID_STATE, "evaluation record: " + field + " is '" + value + "'");
    }
}
