package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import dev.cairn.drift.DriftOptions;
import dev.cairn.drift.DriftTest;
import dev.cairn.monitoring.alerts.AlertRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A monitor over one deployment: the reference table its drift is measured against (the training
 * data: a dataset version {@code cairn-dataset:/NAME/VERSION[/FILE]}, or a file), the features compared (tensor names in the inference log), per-column tests and the drift
 * share, the window length and how often it runs ({@code schedule} zero: only on demand), how
 * predictions are scored against ground truth ({@code task}, {@code threshold}, {@code sliceBy}),
 * business metrics, alert rules, webhook URLs and whether a firing alert starts retraining.
 */
public record MonitorSpec(
        String name,
        String deployment,
        String reference,
        List<String> features,
        Map<String, DriftTest> tests,
        double driftShare,
        Duration window,
        Duration schedule,
        Task task,
        double threshold,
        String sliceBy,
        List<BusinessMetric> businessMetrics,
        List<AlertRule> rules,
        List<String> webhooks,
        boolean retrain) {

    /** How predictions are compared with labels. */
    public enum Task {
        /** Labels 0/1 (or false/true); the first output is a score, positive at or above {@code threshold}. */
        BINARY_CLASSIFICATION,
        /** Numeric labels and predictions. */
        REGRESSION
    }

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}";

    public MonitorSpec {
        CairnException.requireArgument(
                name != null && name.matches(NAME), "name must match " + NAME + "; got '" + name + "'");
        CairnException.requireArgument(
                deployment != null && deployment.matches(NAME),
                "deployment must match " + NAME + "; got '" + deployment + "'");
        CairnException.requireArgument(reference != null && !reference.isBlank(), "reference is required");
        features = List.copyOf(features);
        CairnException.requireArgument(!features.isEmpty(), "features must name at least one column");
        tests = Map.copyOf(tests);
        CairnException.requireArgument(
                driftShare > 0 && driftShare <= 1, "drift_share must be in (0, 1]; got " + driftShare);
        CairnException.requireArgument(
                !window.isNegative() && window.toSeconds() >= 1,
                "window_seconds must be at least 1; got " + window.toSeconds());
        CairnException.requireArgument(
                !schedule.isNegative(), "schedule_seconds must not be negative; got " + schedule.toSeconds());
        CairnException.requireArgument(
                Double.isFinite(threshold), "threshold must be a finite number; got " + threshold);
        businessMetrics = List.copyOf(businessMetrics);
        rules = List.copyOf(rules);
        webhooks = List.copyOf(webhooks);
        CairnException.requireArgument(
                sliceBy.isEmpty() || features.contains(sliceBy),
                "slice_by must be one of the features; got '" + sliceBy + "'");
    }

    /** The drift options the monitor compares windows with. */
    public DriftOptions driftOptions() {
        DriftOptions options = DriftOptions.defaults().withDriftShare(driftShare);
        for (Map.Entry<String, DriftTest> e : tests.entrySet()) {
            options = options.withTest(e.getKey(), e.getValue());
        }
        return options;
    }

    /** Reads a spec from its JSON form, naming the field and value of the first problem found. */
    public static MonitorSpec fromJson(JsonNode json) {
        CairnException.requireArgument(json != null && json.isObject(), "monitor must be a JSON object");
        Map<String, DriftTest> tests = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : json.path("tests").properties()) {
            String id = e.getValue().asText();
            tests.put(
                    e.getKey(),
                    DriftTest.byId(id)
                            .orElseThrow(() -> CairnException.invalid("tests." + e.getKey()
                                    + " must be one of ks, chisquare, z, psi, jensenshannon, wasserstein, linf; got '"
                                    + id + "'")));
        }
        List<BusinessMetric> business = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : json.path("business_metrics").properties()) {
            business.add(BusinessMetric.parse(e.getKey(), text(e.getValue(), "business_metrics." + e.getKey(), "")));
        }
        List<AlertRule> rules = new ArrayList<>();
        for (JsonNode r : array(json, "rules")) {
            rules.add(new AlertRule(
                    text(r.get("name"), "rules[].name", null),
                    AlertRule.Kind.parse(text(r.get("kind"), "rules[].kind", null), "rules[].kind"),
                    text(r.get("metric"), "rules[].metric", ""),
                    number(r.get("threshold"), "rules[].threshold", Double.NaN),
                    (int) number(r.get("windows"), "rules[].windows", 1)));
        }
        return new MonitorSpec(
                text(json.get("name"), "name", null),
                text(json.get("deployment"), "deployment", null),
                text(json.get("reference"), "reference", null),
                strings(json, "features"),
                tests,
                number(json.get("drift_share"), "drift_share", 0.5),
                Duration.ofSeconds((long) number(json.get("window_seconds"), "window_seconds", 3600)),
                Duration.ofSeconds((long) number(json.get("schedule_seconds"), "schedule_seconds", 0)),
                task(text(json.get("task"), "task", "binary_classification")),
                number(json.get("threshold"), "threshold", 0.5),
                text(json.get("slice_by"), "slice_by", ""),
                business,
                rules,
                strings(json, "webhooks"),
                json.path("retrain").asBoolean(false));
    }

    /** The JSON form {@link #fromJson} reads. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        out.put("name", name).put("deployment", deployment).put("reference", reference);
        features.forEach(out.putArray("features")::add);
        ObjectNode t = out.putObject("tests");
        tests.forEach((k, v) -> t.put(k, v.id()));
        out.put("drift_share", driftShare)
                .put("window_seconds", window.toSeconds())
                .put("schedule_seconds", schedule.toSeconds())
                .put("task", task.name().toLowerCase(java.util.Locale.ROOT))
                .put("threshold", threshold)
                .put("slice_by", sliceBy);
        ObjectNode b = out.putObject("business_metrics");
        businessMetrics.forEach(m -> b.put(m.name(), m.expression()));
        var r = out.putArray("rules");
        for (AlertRule rule : rules) {
            r.addObject()
                    .put("name", rule.name())
                    .put("kind", rule.kind().wireName())
                    .put("metric", rule.metric())
                    .put("threshold", rule.threshold())
                    .put("windows", rule.windows());
        }
        webhooks.forEach(out.putArray("webhooks")::add);
        out.put("retrain", retrain);
        return out;
    }

    private static Task task(String value) {
        return switch (value) {
            case "binary_classification" -> Task.BINARY_CLASSIFICATION;
            case "regression" -> Task.REGRESSION;
            default ->
                throw CairnException.invalid("task must be binary_classification or regression; got '" + value + "'");
        };
    }

    private static String text(JsonNode node, String field, String fallback) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (fallback == null) {
                throw CairnException.invalid("Missing value for required parameter '" + field + "'");
            }
            return fallback;
        }
        CairnException.requireArgument(node.isTextual(), field + " must be a string; got " + node);
        return node.asText();
    }

    private static double number(JsonNode node, String field, double fallback) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            CairnException.requireArgument(
                    !Double.isNaN(fallback), "Missing value for required parameter '" + field + "'");
            return fallback;
        }
        CairnException.requireArgument(node.isNumber(), field + " must be a number; got " + node);
        return node.asDouble();
    }

    private static List<JsonNode> array(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        CairnException.requireArgument(node.isArray(), field + " must be an array; got " + node);
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode json, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(json, field)) {
            CairnException.requireArgument(
                    n.isTextual() && !n.asText().isBlank(), field + " must hold non-blank strings; got " + n);
            out.add(n.asText());
        }
        return out;
    }
}
