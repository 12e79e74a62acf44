package dev.cairn.datasets;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads tabular files (CSV, Parquet, JSON) through an in-memory DuckDB and profiles them. */
final class TableProfiler implements AutoCloseable {
    static final int TOP_VALUES = 5;

    private final Connection duckdb;

    TableProfiler() {
        try {
            duckdb = DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    /** The tabular format a file name announces: csv, parquet or json; empty for any other file. */
    static Optional<String> formatOf(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return Optional.of("csv");
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Optional.of("parquet");
        }
        if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return Optional.of("json");
        }
        return Optional.empty();
    }

    /** Profiles {@code file}; fails naming {@code displayPath} when DuckDB cannot read it as {@code format}. */
    TableSummary profile(Path file, String displayPath, String format) {
        try (Statement st = duckdb.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP VIEW profiled AS SELECT * FROM " + reader(format) + "('"
                    + file.toAbsolutePath().toString().replace("'", "''") + "')");
            List<String[]> schema = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE profiled")) {
                while (rs.next()) {
                    schema.add(new String[] {rs.getString("column_name"), rs.getString("column_type")});
                }
            }
            return summarize(st, format, schema);
        } catch (SQLException e) {
            throw CairnException.invalid(
                    "cannot read '" + displayPath + "' as " + format + ": " + firstLine(e.getMessage()));
        }
    }

    private TableSummary summarize(Statement st, String format, List<String[]> schema) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (String[] column : schema) {
            String c = quote(column[0]);
            sql.append(", count(*) - count(").append(c).append(')');
            sql.append(", approx_count_distinct(").append(c).append(')');
            switch (kind(column[1])) {
                case NUMERIC ->
                    sql.append(String.format(
                            ", CAST(min(%1$s) AS DOUBLE), CAST(max(%1$s) AS DOUBLE), CAST(avg(%1$s) AS DOUBLE),"
                                    + " CAST(stddev_samp(%1$s) AS DOUBLE)",
                            c));
                case RANGE -> sql.append(", CAST(min(%1$s) AS VARCHAR), CAST(max(%1$s) AS VARCHAR)".formatted(c));
                case TEXT, NESTED -> {}
            }
        }
        sql.append(" FROM profiled");
        List<TableSummary.Column> columns = new ArrayList<>();
        long rows;
        try (ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            rows = rs.getLong(1);
            int i = 2;
            for (String[] column : schema) {
                long nulls = rs.getLong(i++);
                long distinct = rs.getLong(i++);
                ColumnStats stats =
                        switch (kind(column[1])) {
                            case NUMERIC ->
                                new ColumnStats.Numeric(
                                        number(rs, i++), number(rs, i++), number(rs, i++), number(rs, i++));
                            case RANGE -> new ColumnStats.Range(text(rs, i++), text(rs, i++));
                            case TEXT -> new ColumnStats.Text(topValues(column[0]));
                            case NESTED -> new ColumnStats.Range("", "");
                        };
                columns.add(new TableSummary.Column(column[0], column[1], nulls, distinct, stats));
            }
        }
        return new TableSummary(format, rows, columns);
    }

    /** Runs on its own statement: a new query on the aggregate's statement would close its result. */
    private List<ColumnStats.TopValue> topValues(String column) throws SQLException {
        String c = quote(column);
        List<ColumnStats.TopValue> top = new ArrayList<>();
        try (Statement st = duckdb.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + c + ", count(*) AS n FROM profiled WHERE " + c
                        + " IS NOT NULL GROUP BY " + c + " ORDER BY n DESC, " + c + " LIMIT " + TOP_VALUES)) {
            while (rs.next()) {
                top.add(new ColumnStats.TopValue(rs.getString(1), rs.getLong(2)));
            }
        }
        return top;
    }

    private enum Kind {
        NUMERIC,
        TEXT,
        RANGE,
        NESTED
    }

    private static Kind kind(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        if (t.contains("[") || t.startsWith("STRUCT") || t.startsWith("MAP") || t.startsWith("UNION")) {
            return Kind.NESTED;
        }
        if (t.equals("VARCHAR")) {
            return Kind.TEXT;
        }
        if (t.matches("(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|REAL|DECIMAL.*)")) {
            return Kind.NUMERIC;
        }
        return Kind.RANGE;
    }

    private static double number(ResultSet rs, int i) throws SQLException {
        double value = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : value;
    }

    private static String text(ResultSet rs, int i) throws SQLException {
        String value = rs.getString(i);
        return value == null ? "" : value;
    }

    private static String reader(String format) {
        return switch (format) {
            case "csv" -> "read_csv_auto";
            case "parquet" -> "read_parquet";
            case "json" -> "read_json_auto";
            default -> throw CairnException.invalid("format must be csv, parquet or json; got '" + format + "'");
        };
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String firstLine(String message) {
        String m = message == null ? "unreadable" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        try {
            duckdb.close();
        } catch (SQLException e) {
            // Closing an in-memory database cannot lose anything.
        }
    }
}
