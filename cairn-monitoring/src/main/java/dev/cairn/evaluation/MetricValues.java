package dev.cairn.evaluation;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The metrics of one model over one set of rows: a value for each metric that is defined, and for each
 * metric that is not (no rows, a single class, scores outside [0, 1]...) the reason why.
 */
public record MetricValues(long count, Map<Metric, Double> values, Map<Metric, String> undefined) {
    public MetricValues {
        values = Map.copyOf(values);
        undefined = Map.copyOf(undefined);
    }

    public OptionalDouble value(Metric metric) {
        Double v = values.get(metric);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Why {@code metric} has no value, when it has none. */
    public Optional<String> undefinedReason(Metric metric) {
        return Optional.ofNullable(undefined.get(metric));
    }

    /** A JSON-ready view: {@code count}, then each metric by its id, undefined ones under {@code undefined}. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", count);
        for (Metric m : Metric.values()) {
            if (values.containsKey(m)) {
                out.put(m.id(), values.get(m));
            }
        }
        if (!undefined.isEmpty()) {
            Map<String, String> reasons = new LinkedHashMap<>();
            for (Metric m : Metric.values()) {
                if (undefined.containsKey(m)) {
                    reasons.put(m.id(), undefined.get(m));
                }
            }
            out.put("undefined", reasons);
        }
        return out;
    }

    /** Collects values and reasons in metric order. */
    static final class Builder {
        private final long count;
        private final Map<Metric, Double> values = new EnumMap<>(Metric.class);
        private final Map<Metric, String> undefined = new EnumMap<>(Metric.class);

        Builder(long count) {
            this.count = count;
        }

        Builder put(Metric metric, double value) {
            values.put(metric, value);
            return this;
        }

        Builder undefined(Metric metric, String reason) {
            undefined.put(metric, reason);
            return this;
        }

        MetricValues build() {
            return new MetricValues(count, values, undefined);
        }
    }
}
