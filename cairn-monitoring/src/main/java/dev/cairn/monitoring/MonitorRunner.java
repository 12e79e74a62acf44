package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.drift.ColumnDrift;
import dev.cairn.drift.DriftAnalysis;
import dev.cairn.drift.DriftReport;
import dev.cairn.drift.ReferenceProfile;
import dev.cairn.drift.SchemaIssue;
import dev.cairn.drift.Window;
import dev.cairn.serving.InferenceLogQuery;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Computes one window of a monitor: streams the deployment's logged predictions in {@code [from, to)}
 * into a drift {@link Window} opened from the reference profile, joins the labels received for them,
 * and compares; an empty window gives a {@code NO_DATA} result.
 */
final class MonitorRunner {
    private final InferenceLogQuery log;
    private final MonitorStore store;
    private final ObjectMapper json;

    MonitorRunner(InferenceLogQuery log, MonitorStore store, ObjectMapper json) {
        this.log = log;
        this.store = store;
        this.json = json;
    }

    MonitorResult run(MonitorSpec spec, ReferenceProfile profile, Instant from, Instant to) {
        Window window = profile.newWindow();
        Map<String, String> labels = store.labels(spec.deployment(), from, to);
        Performance performance = new Performance(spec);
        int slice = spec.sliceBy().isEmpty() ? -1 : spec.features().indexOf(spec.sliceBy());
        long[] rows = {0};
        log.streamByDeployment(spec.deployment(), from, to, row -> {
            if (!row.status().equals("OK")) {
                return; // failed requests have no prediction to judge; latency monitoring covers them
            }
            rows[0]++;
            Object[] values = LoggedRow.features(json, row.inputs(), spec.features());
            window.acceptRow(values);
            String label = labels.get(row.requestId());
            if (label != null) {
                OptionalDouble truth = LoggedRow.number(label);
                OptionalDouble prediction = LoggedRow.prediction(json, row.outputs());
                if (truth.isPresent() && prediction.isPresent() && Double.isFinite(prediction.getAsDouble())) {
                    Object s = slice < 0 ? null : values[slice];
                    performance.add(truth.getAsDouble(), prediction.getAsDouble(), s == null ? null : sliceKey(s));
                }
            }
        });
        if (rows[0] == 0) {
            return new MonitorResult(
                    spec.name(),
                    from,
                    to,
                    MonitorResult.NO_DATA,
                    0,
                    0,
                    Double.NaN,
                    false,
                    json.createArrayNode(),
                    performance.toJson(json));
        }
        DriftReport report = DriftAnalysis.compare(profile, window, spec.driftOptions());
        return new MonitorResult(
                spec.name(),
                from,
                to,
                MonitorResult.OK,
                rows[0],
                performance.labeled(),
                report.driftShare(),
                report.datasetDrift(),
                columns(report),
                performance.toJson(json));
    }

    private static String sliceKey(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }

    private ArrayNode columns(DriftReport report) {
        ArrayNode out = json.createArrayNode();
        for (ColumnDrift c : report.columns()) {
            ObjectNode o = out.addObject()
                    .put("column", c.column())
                    .put("status", c.status().name())
                    .put("test", c.test().id())
                    .put("threshold", c.threshold())
                    .put("drifted", c.drifted())
                    .put("approximate", c.approximate())
                    .put("current_count", c.current().valid())
                    .put("unseen_categories", c.unseenCategories());
            number(o, "statistic", c.statistic());
            number(o, "score", c.score());
        }
        for (SchemaIssue issue : report.schemaIssues()) {
            out.addObject()
                    .put("column", issue.column())
                    .put("status", issue.status().name())
                    .put("detail", issue.detail())
                    .put("drifted", false);
        }
        return out;
    }

    private static void number(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }
}
