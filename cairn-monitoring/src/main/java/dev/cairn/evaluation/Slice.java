package dev.cairn.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows of the holdout with one value of a categorical column, or {@link #OTHER} for the values
 * with fewer rows than the minimum slice size, grouped together; {@link #NULL} stands for missing values.
 */
public record Slice(String column, String value, ModelComparison metrics) {
    /** The slice that groups the values below the minimum slice size. */
    public static final String OTHER = "(other)";
    /** The value of a slice of missing values. */
    public static final String NULL = "(null)";

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("column", column);
        out.put("value", value);
        out.putAll(metrics.toMap());
        return out;
    }
}
