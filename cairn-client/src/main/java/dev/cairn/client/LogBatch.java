package dev.cairn.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The body of one {@code runs/log-batch} call, within MLflow's limits per call. */
record LogBatch(String runId, List<Metric> metrics, List<LogEntry.ParamValue> params, List<LogEntry.TagValue> tags) {
    static final int MAX_METRICS = 1000;
    static final int MAX_PARAMS_AND_TAGS = 100;
    static final int MAX_ENTRIES = 1000;

    /**
     * Splits one run's entries, in logging order, into batches the server accepts. A key that
     * repeats starts a new batch, so that the server sees the values in the order they were logged
     * (and rejects a changed param value on its own).
     */
    static List<LogBatch> split(String runId, List<LogEntry> entries) {
        List<LogBatch> batches = new ArrayList<>();
        Accumulator current = new Accumulator(runId);
        for (LogEntry entry : entries) {
            if (!current.accepts(entry)) {
                batches.add(current.toBatch());
                current = new Accumulator(runId);
            }
            current.add(entry);
        }
        if (!current.isEmpty()) {
            batches.add(current.toBatch());
        }
        return batches;
    }

    int size() {
        return metrics.size() + params.size() + tags.size();
    }

    ObjectNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode body = json.objectNode().put("run_id", runId);
        ArrayNode metricArray = body.putArray("metrics");
        for (Metric metric : metrics) {
            metricArray
                    .addObject()
                    .put("key", metric.key())
                    .put("value", metric.value())
                    .put("timestamp", metric.timestamp())
                    .put("step", metric.step());
        }
        ArrayNode paramArray = body.putArray("params");
        params.forEach(p -> paramArray.addObject().put("key", p.key()).put("value", p.value()));
        ArrayNode tagArray = body.putArray("tags");
        tags.forEach(t -> tagArray.addObject().put("key", t.key()).put("value", t.value()));
        return body;
    }

    /** Gathers entries until the next one would break a limit. */
    private static final class Accumulator {
        private final String runId;
        private final List<Metric> metrics = new ArrayList<>();
        private final List<LogEntry.ParamValue> params = new ArrayList<>();
        private final List<LogEntry.TagValue> tags = new ArrayList<>();
        private final Set<String> paramKeys = new HashSet<>();
        private final Set<String> tagKeys = new HashSet<>();

        Accumulator(String runId) {
            this.runId = runId;
        }

        boolean accepts(LogEntry entry) {
            int total = metrics.size() + params.size() + tags.size();
            if (total >= MAX_ENTRIES) {
                return false;
            }
            if (entry instanceof LogEntry.MetricPoint) {
                return metrics.size() < MAX_METRICS;
            }
            if (params.size() + tags.size() >= MAX_PARAMS_AND_TAGS) {
                return false;
            }
            if (entry instanceof LogEntry.ParamValue param) {
                return !paramKeys.contains(param.key());
            }
            return !tagKeys.contains(((LogEntry.TagValue) entry).key());
        }

        void add(LogEntry entry) {
            if (entry instanceof LogEntry.MetricPoint point) {
                metrics.add(point.metric());
            } else if (entry instanceof LogEntry.ParamValue param) {
                params.add(param);
                paramKeys.add(param.key());
            } else if (entry instanceof LogEntry.TagValue tag) {
                tags.add(tag);
                tagKeys.add(tag.key());
            }
        }

        boolean isEmpty() {
            return metrics.isEmpty() && params.isEmpty() && tags.isEmpty();
        }

        LogBatch toBatch() {
            return new LogBatch(runId, List.copyOf(metrics), List.copyOf(params), List.copyOf(tags));
        }
    }
}
