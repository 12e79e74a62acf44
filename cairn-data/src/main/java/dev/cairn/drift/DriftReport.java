package dev.cairn.drift;

import java.util.List;
import java.util.Optional;

/**
 * Drift between a reference and a current window: one verdict per compared column, the columns the
 * two sides disagree on, and the dataset-level verdict: drift when the share of drifted columns among
 * tested ones reaches {@code driftShareThreshold} (Evidently's rule, default 0.5).
 */
public record DriftReport(
        List<ColumnDrift> columns,
        List<SchemaIssue> schemaIssues,
        int testedColumns,
        int driftedColumns,
        double driftShare,
        double driftShareThreshold,
        boolean datasetDrift) {
    public DriftReport {
        columns = List.copyOf(columns);
        schemaIssues = List.copyOf(schemaIssues);
    }

    public Optional<ColumnDrift> column(String name) {
        return columns.stream().filter(c -> c.column().equals(name)).findFirst();
    }
}
