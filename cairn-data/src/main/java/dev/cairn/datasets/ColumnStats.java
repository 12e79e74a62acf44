package dev.cairn.datasets;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** The statistics of one column that depend on its type. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ColumnStats.Numeric.class, name = "numeric"),
    @JsonSubTypes.Type(value = ColumnStats.Text.class, name = "text"),
    @JsonSubTypes.Type(value = ColumnStats.Range.class, name = "range")
})
public sealed interface ColumnStats {
    /** Numbers: minimum, maximum, mean and sample standard deviation (NaN when there are no values). */
    record Numeric(double min, double max, double mean, double stddev) implements ColumnStats {}

    /** Strings: the most frequent values, most frequent first (ties by value). */
    record Text(List<TopValue> topValues) implements ColumnStats {
        public Text {
            topValues = List.copyOf(topValues);
        }
    }

    /** Other ordered types (dates, times, booleans): minimum and maximum as text, empty when all null. */
    record Range(String min, String max) implements ColumnStats {}

    /** A value with the number of rows that hold it. */
    record TopValue(String value, long count) {}
}
