package dev.cairn.validation;

import java.util.List;

/**
 * One way a table departs from its schema: the column, the kind of anomaly, how many values are
 * affected (0 when not a count), a few example values, and whether it fails the gate.
 */
public record Anomaly(String column, Kind kind, long count, List<String> examples, String message, boolean blocking) {
    public Anomaly {
        examples = List.copyOf(examples);
    }

    /** The kinds of anomalies. */
    public enum Kind {
        EMPTY_TABLE,
        MISSING_COLUMN,
        NEW_COLUMN,
        TYPE_MISMATCH,
        COMPLETENESS_BELOW_EXPECTED,
        OUT_OF_RANGE,
        UNSEEN_CATEGORY,
        DUPLICATE_VALUES
    }
}
