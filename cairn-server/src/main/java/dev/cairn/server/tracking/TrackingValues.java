package dev.cairn.server.tracking;

import static dev.cairn.server.JsonRequests.required;

import dev.cairn.core.CairnException;
import dev.cairn.server.tracking.TrackingRequests.DatasetInputValue;
import dev.cairn.server.tracking.TrackingRequests.DatasetValue;
import dev.cairn.server.tracking.TrackingRequests.KeyValue;
import dev.cairn.server.tracking.TrackingRequests.MetricValue;
import dev.cairn.tracking.DatasetInput;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.Param;
import dev.cairn.tracking.RunStatus;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.ViewType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns decoded request values into Cairn's records, naming the field of anything missing or invalid. */
final class TrackingValues {
    private TrackingValues() {}

    static List<Tag> tags(List<KeyValue> values, String field) {
        if (values == null) {
            return List.of();
        }
        List<Tag> tags = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            KeyValue kv = element(values, i, field);
            tags.add(new Tag(required(kv.key(), field + "[" + i + "].key"), orEmpty(kv.value())));
        }
        return tags;
    }

    static List<Param> params(List<KeyValue> values) {
        if (values == null) {
            return List.of();
        }
        List<Param> params = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            KeyValue kv = element(values, i, "params");
            params.add(new Param(required(kv.key(), "params[" + i + "].key"), orEmpty(kv.value())));
        }
        return params;
    }

    static List<Metric> metrics(List<MetricValue> values) {
        if (values == null) {
            return List.of();
        }
        List<Metric> metrics = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            MetricValue m = element(values, i, "metrics");
            String at = "metrics[" + i + "].";
            metrics.add(new Metric(
                    required(m.key(), at + "key"),
                    required(m.value(), at + "value"),
                    required(m.timestamp(), at + "timestamp"),
                    m.step() == null ? 0L : m.step()));
        }
        return metrics;
    }

    static List<DatasetInput> datasetInputs(List<DatasetInputValue> values) {
        if (values == null) {
            return List.of();
        }
        List<DatasetInput> inputs = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            DatasetInputValue v = element(values, i, "datasets");
            String at = "datasets[" + i + "]";
            DatasetValue d = required(v.dataset(), at + ".dataset");
            String ds = at + ".dataset.";
            DatasetInput.Dataset dataset = new DatasetInput.Dataset(
                    required(d.name(), ds + "name"),
                    required(d.digest(), ds + "digest"),
                    required(d.sourceType(), ds + "source_type"),
                    required(d.source(), ds + "source"),
                    orEmpty(d.schema()),
                    orEmpty(d.profile()));
            inputs.add(new DatasetInput(dataset, tags(v.tags(), at + ".tags")));
        }
        return inputs;
    }

    /** A view type by name ({@code ACTIVE_ONLY}) or by proto number ({@code 1}); absent means active only. */
    static ViewType viewType(String value, String field) {
        if (value == null || value.isEmpty()) {
            return ViewType.ACTIVE_ONLY;
        }
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "ACTIVE_ONLY", "1" -> ViewType.ACTIVE_ONLY;
            case "DELETED_ONLY", "2" -> ViewType.DELETED_ONLY;
            case "ALL", "3" -> ViewType.ALL;
            default -> throw invalidEnum(value, field, "ACTIVE_ONLY, DELETED_ONLY, ALL");
        };
    }

    /** A run status by name ({@code FINISHED}) or by proto number ({@code 3}). */
    static RunStatus runStatus(String value, String field) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "RUNNING", "1" -> RunStatus.RUNNING;
            case "SCHEDULED", "2" -> RunStatus.SCHEDULED;
            case "FINISHED", "3" -> RunStatus.FINISHED;
            case "FAILED", "4" -> RunStatus.FAILED;
            case "KILLED", "5" -> RunStatus.KILLED;
            default -> throw invalidEnum(value, field, "RUNNING, SCHEDULED, FINISHED, FAILED, KILLED");
        };
    }

    private static CairnException invalidEnum(String value, String field, String allowed) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return CairnException.invalid(
                "Invalid value '" + shown + "' for parameter '" + field + "': expected one of " + allowed);
    }

    private static <T> T element(List<T> values, int i, String field) {
        T value = values.get(i);
        if (value == null) {
            throw CairnException.invalid("Invalid value null for parameter '" + field + "[" + i + "]'");
        }
        return value;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
