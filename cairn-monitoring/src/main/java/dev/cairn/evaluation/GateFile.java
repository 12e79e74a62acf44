package dev.cairn.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cairn.core.CairnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads the YAML/JSON form of an {@link EvaluationGate}, naming the field of any bad value. */
final class GateFile {
    private static final YAMLMapper YAML = new YAMLMapper();

    private GateFile() {}

    static EvaluationGate read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw CairnException.notFound("cannot read gate file " + file + ": " + e.getMessage());
        }
    }

    static EvaluationGate parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw CairnException.invalid("gate " + source + " is not valid YAML/JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        requireObject(root, source);
        allowOnly(root, source, Set.of("metrics", "changes", "slices", "fairness"));
        List<ValueThreshold> metrics = new ArrayList<>();
        for (JsonNode n : list(root, "metrics", source)) {
            metrics.addAll(valueThresholds(n, source + ".metrics"));
        }
        List<ChangeThreshold> changes = new ArrayList<>();
        for (JsonNode n : list(root, "changes", source)) {
            changes.add(changeThreshold(n, source + ".changes"));
        }
        JsonNode slices = object(root, "slices", source);
        String sliceSource = source + ".slices";
        allowOnly(slices, sliceSource, Set.of("columns", "column", "min_size", "thresholds"));
        List<SliceThreshold> sliceThresholds = new ArrayList<>();
        for (JsonNode n : list(slices, "thresholds", sliceSource)) {
            sliceThresholds.add(sliceThreshold(n, sliceSource + ".thresholds"));
        }
        int minSize = slices.has("min_size")
                ? intValue(slices.get("min_size"), sliceSource + ".min_size")
                : EvaluationGate.DEFAULT_MIN_SLICE_SIZE;
        JsonNode fairness = object(root, "fairness", source);
        String fairSource = source + ".fairness";
        allowOnly(fairness, fairSource, Set.of("attributes", "attribute", "thresholds"));
        List<FairnessThreshold> fairThresholds = new ArrayList<>();
        for (JsonNode n : list(fairness, "thresholds", fairSource)) {
            fairThresholds.add(fairnessThreshold(n, fairSource + ".thresholds"));
        }
        return new EvaluationGate(
                metrics,
                changes,
                names(slices, "columns", "column", sliceSource),
                minSize,
                sliceThresholds,
                names(fairness, "attributes", "attribute", fairSource),
                fairThresholds);
    }

    private static List<ValueThreshold> valueThresholds(JsonNode n, String where) {
        requireObject(n, where);
        allowOnly(n, where, Set.of("metric", "min", "max"));
        Metric metric = Metric.of(text(n, "metric", where));
        List<ValueThreshold> out = new ArrayList<>();
        if (n.has("min")) {
            out.add(ValueThreshold.atLeast(metric, number(n.get("min"), where + ".min")));
        }
        if (n.has("max")) {
            out.add(ValueThreshold.atMost(metric, number(n.get("max"), where + ".max")));
        }
        CairnException.requireArgument(!out.isEmpty(), where + " for " + metric.id() + " needs min or max");
        return out;
    }

    private static ChangeThreshold changeThreshold(JsonNode n, String where) {
        requireObject(n, where);
        allowOnly(n, where, Set.of("metric", "absolute", "relative"));
        Metric metric = Metric.of(text(n, "metric", where));
        CairnException.requireArgument(
                n.has("absolute") != n.has("relative"),
                where + " for " + metric.id() + " needs exactly one of absolute or relative");
        return n.has("absolute")
                ? ChangeThreshold.absolute(metric, number(n.get("absolute"), where + ".absolute"))
                : ChangeThreshold.relative(metric, number(n.get("relative"), where + ".relative"));
    }

    private static SliceThreshold sliceThreshold(JsonNode n, String where) {
        requireObject(n, where);
        allowOnly(n, where, Set.of("metric", "min", "max", "max_degradation"));
        Metric metric = Metric.of(text(n, "metric", where));
        List<SliceThreshold> out = new ArrayList<>();
        for (SliceThreshold.Rule rule : SliceThreshold.Rule.values()) {
            String key = rule.name().toLowerCase(java.util.Locale.ROOT);
            if (n.has(key)) {
                out.add(new SliceThreshold(metric, rule, number(n.get(key), where + "." + key)));
            }
        }
        CairnException.requireArgument(
                out.size() == 1, where + " for " + metric.id() + " needs exactly one of min, max or max_degradation");
        return out.get(0);
    }

    private static FairnessThreshold fairnessThreshold(JsonNode n, String where) {
        requireObject(n, where);
        allowOnly(n, where, Set.of("metric", "max"));
        CairnException.requireArgument(n.has("max"), where + " needs max");
        return new FairnessThreshold(FairnessMetric.of(text(n, "metric", where)), number(n.get("max"), where + ".max"));
    }

    private static List<String> names(JsonNode n, String plural, String singular, String where) {
        List<String> out = new ArrayList<>();
        if (n.has(singular)) {
            out.add(text(n, singular, where));
        }
        for (JsonNode v : list(n, plural, where)) {
            CairnException.requireArgument(
                    v.isTextual() && !v.asText().isBlank(), where + "." + plural + " must hold names: " + v);
            out.add(v.asText());
        }
        return out;
    }

    private static List<JsonNode> list(JsonNode parent, String key, String where) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return List.of();
        }
        CairnException.requireArgument(n.isArray(), where + "." + key + " must be a list: " + n);
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    private static JsonNode object(JsonNode parent, String key, String where) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return YAML.createObjectNode();
        }
        requireObject(n, where + "." + key);
        return n;
    }

    private static void requireObject(JsonNode n, String where) {
        CairnException.requireArgument(n.isObject(), where + " must be a mapping: " + n);
    }

    private static void allowOnly(JsonNode n, String where, Set<String> keys) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            CairnException.requireArgument(
                    keys.contains(key),
                    "unknown field " + where + "." + key + ", expected one of " + new java.util.TreeSet<>(keys));
        }
    }

    private static String text(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        CairnException.requireArgument(
                v != null && v.isTextual() && !v.asText().isBlank(), where + "." + key + " must be a name: " + v);
        return v.asText();
    }

    private static double number(JsonNode v, String where) {
        CairnException.requireArgument(v.isNumber(), where + " must be a number: " + v);
        return v.asDouble();
    }

    private static int intValue(JsonNode v, String where) {
        CairnException.requireArgument(
                v.canConvertToInt() && v.isIntegralNumber(), where + " must be an integer: " + v);
        return v.asInt();
    }
}
