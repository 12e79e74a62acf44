package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.evaluation.BinaryAccumulator;
import dev.cairn.evaluation.RegressionAccumulator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The performance of one window's labeled predictions, overall and per slice, with the evaluation
 * module's accumulators, plus the confusion counts business metrics are computed from.
 */
final class Performance {
    private final MonitorSpec spec;
    private final Part overall;
    private final Map<String, Part> slices = new TreeMap<>();

    Performance(MonitorSpec spec) {
        this.spec = spec;
        this.overall = new Part(spec);
    }

    void add(double label, double prediction, String slice) {
        overall.add(label, prediction);
        if (slice != null) {
            slices.computeIfAbsent(slice, s -> new Part(spec)).add(label, prediction);
        }
    }

    long labeled() {
        return overall.count;
    }

    /** {@code {"overall": {...}, "slices": {value: {...}}, "confusion": {...}, "business": {...}}}. */
    ObjectNode toJson(ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        out.set("overall", overall.toJson(json));
        ObjectNode s = out.putObject("slices");
        slices.forEach((k, v) -> s.set(k, v.toJson(json)));
        if (spec.task() == MonitorSpec.Task.BINARY_CLASSIFICATION) {
            out.putObject("confusion")
                    .put("tp", overall.tp)
                    .put("fp", overall.fp)
                    .put("tn", overall.tn)
                    .put("fn", overall.fn);
            ObjectNode business = out.putObject("business");
            for (BusinessMetric m : spec.businessMetrics()) {
                double v = overall.count == 0 ? Double.NaN : m.evaluate(overall.tp, overall.fp, overall.tn, overall.fn);
                if (Double.isFinite(v)) {
                    business.put(m.name(), v);
                } else {
                    business.putNull(m.name());
                }
            }
        }
        return out;
    }

    private static final class Part {
        private final MonitorSpec spec;
        private final BinaryAccumulator binary;
        private final RegressionAccumulator regression = new RegressionAccumulator();
        private long count;
        private long tp;
        private long fp;
        private long tn;
        private long fn;

        Part(MonitorSpec spec) {
            this.spec = spec;
            this.binary = new BinaryAccumulator(spec.threshold());
        }

        void add(double label, double prediction) {
            count++;
            if (spec.task() == MonitorSpec.Task.REGRESSION) {
                regression.add(label, prediction);
                return;
            }
            boolean positive = label >= 0.5;
            boolean predicted = prediction >= spec.threshold();
            binary.add(positive, prediction);
            if (positive) {
                tp += predicted ? 1 : 0;
                fn += predicted ? 0 : 1;
            } else {
                fp += predicted ? 1 : 0;
                tn += predicted ? 0 : 1;
            }
        }

        ObjectNode toJson(ObjectMapper json) {
            var values = spec.task() == MonitorSpec.Task.REGRESSION ? regression.result() : binary.result();
            return json.valueToTree(values.toMap());
        }
    }
}
