package dev.cairn.validation;

import java.util.List;

/** The outcome of validating a table against a schema, usable as a pipeline gate. */
public record ValidationResult(String table, long rows, List<Anomaly> anomalies) {
    public ValidationResult {
        anomalies = List.copyOf(anomalies);
    }

    /** True when no anomaly is blocking (new columns alone do not fail the gate). */
    public boolean passed() {
        return anomalies.stream().noneMatch(Anomaly::blocking);
    }
}
