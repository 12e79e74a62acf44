package dev.cairn.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One threshold judged: its kind ({@code value}, {@code change}, {@code slice}, {@code fairness}), the
 * metric, the scope (overall, a slice, an attribute), the candidate's value, the baseline's, the
 * threshold (NaN where there is none) and a sentence saying why it passed, failed or was skipped.
 */
public record GateCheck(
        String kind,
        String metric,
        String scope,
        CheckStatus status,
        double value,
        double baseline,
        double threshold,
        String reason) {
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind);
        out.put("metric", metric);
        out.put("scope", scope);
        out.put("status", status.name());
        out.put("value", finiteOrNull(value));
        out.put("baseline", finiteOrNull(baseline));
        out.put("threshold", finiteOrNull(threshold));
        out.put("reason", reason);
        return out;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
