package dev.cairn.datasets;

import java.util.List;

/** What a tabular file holds: its format, row count, and per column its type and profile. */
public record TableSummary(String format, long rowCount, List<Column> columns) {
    public TableSummary {
        columns = List.copyOf(columns);
    }

    /** A column: name, SQL type as DuckDB reads it, null count, approximate distinct count, statistics. */
    public record Column(String name, String type, long nullCount, long distinctEstimate, ColumnStats stats) {}
}
