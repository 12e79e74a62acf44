package dev.cairn.validation;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A tabular file (CSV, Parquet or JSON, chosen by extension) opened in an in-memory DuckDB as the view
 * {@code t}, for validation and drift to query. Close it to release DuckDB.
 */
public final class TableFile implements AutoCloseable {
    /** The name of the view the file is readable as. */
    public static final String VIEW = "t";

    private final Path path;
    private final Connection duckdb;
    private final List<TableColumn> columns;

    private TableFile(Path path, Connection duckdb, List<TableColumn> columns) {
        this.path = path;
        this.duckdb = duckdb;
        this.columns = List.copyOf(columns);
    }

    /** Opens {@code path}; fails with a message naming the path when it is missing or unreadable. */
    public static TableFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw CairnException.notFound("table file does not exist: " + path);
        }
        String reader = reader(path);
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE TEMP VIEW " + VIEW + " AS SELECT * FROM " + reader + "('"
                        + path.toAbsolutePath().toString().replace("'", "''") + "')");
                List<TableColumn> columns = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("DESCRIBE " + VIEW)) {
                    while (rs.next()) {
                        String type = rs.getString("column_type");
                        columns.add(new TableColumn(rs.getString("column_name"), type, DataType.ofDuckDb(type)));
                    }
                }
                return new TableFile(path, connection, columns);
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw CairnException.invalid("cannot read table " + path + ": " + firstLine(e.getMessage()));
        }
    }

    private static String reader(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT).replaceFirst("\\.gz$", "");
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return "read_csv_auto";
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return "read_parquet";
        }
        if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return "read_json_auto";
        }
        throw CairnException.invalid("table file must end in .csv, .tsv, .parquet or .json: " + path);
    }

    public Path path() {
        return path;
    }

    public List<TableColumn> columns() {
        return columns;
    }

    /** The DuckDB connection holding the view {@link #VIEW}. */
    public Connection connection() {
        return duckdb;
    }

    /** A column name quoted for SQL. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A string literal for SQL. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Fails with {@code INTERNAL_ERROR} naming the file, for SQL errors while querying it. */
    public CairnException failure(SQLException e) {
        return new CairnException(
                ErrorCode.INTERNAL_ERROR, "query on table " + path + " failed: " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        String m = message == null ? "unreadable" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Nothing was written to the in-memory database.
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(duckdb);
    }
}
