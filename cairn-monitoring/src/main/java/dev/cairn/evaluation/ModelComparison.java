package dev.cairn.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics of a candidate and, when there is one, of the baseline (the champion) over the same
 * rows: the whole holdout or one slice of it.
 */
public final class ModelComparison {
    private final MetricValues candidate;
    private final Optional<MetricValues> baseline;

    private ModelComparison(MetricValues candidate, Optional<MetricValues> baseline) {
        this.candidate = candidate;
        this.baseline = baseline;
    }

    public static ModelComparison of(MetricValues candidate, MetricValues baseline) {
        return new ModelComparison(candidate, Optional.of(baseline));
    }

    /** A first model: nothing to compare with. */
    public static ModelComparison candidateOnly(MetricValues candidate) {
        return new ModelComparison(candidate, Optional.empty());
    }

    public MetricValues candidate() {
        return candidate;
    }

    public Optional<MetricValues> baseline() {
        return baseline;
    }

    public long count() {
        return candidate.count();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("candidate", candidate.toMap());
        baseline.ifPresent(b -> out.put("baseline", b.toMap()));
        return out;
    }
}
