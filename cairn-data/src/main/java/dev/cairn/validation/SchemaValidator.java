package dev.cairn.validation;

import dev.cairn.validation.Anomaly.Kind;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Validates a table against a {@link Schema} and reports every anomaly: missing columns, type
 * mismatches, completeness below the expected, values out of range and unseen categories (with counts
 * and examples), duplicates in unique columns, new columns (not blocking) and an empty table.
 */
public final class SchemaValidator {
    private static final int EXAMPLES = 5;

    private SchemaValidator() {}

    public static ValidationResult validate(Schema schema, Path table) {
        try (TableFile file = TableFile.open(table)) {
            return validate(schema, file);
        }
    }

    public static ValidationResult validate(Schema schema, TableFile table) {
        try (Statement st = table.connection().createStatement()) {
            long rows = SchemaInference.rowCount(st);
            List<Anomaly> anomalies = new ArrayList<>();
            if (rows == 0) {
                anomalies.add(new Anomaly("", Kind.EMPTY_TABLE, 0, List.of(), "the table has no rows", true));
            }
            Map<String, TableColumn> actual =
                    table.columns().stream().collect(Collectors.toMap(TableColumn::name, Function.identity()));
            for (ColumnSchema expected : schema.columns()) {
                TableColumn column = actual.get(expected.name());
                if (column == null) {
                    anomalies.add(
                            new Anomaly(expected.name(), Kind.MISSING_COLUMN, 0, List.of(), "column is missing", true));
                } else if (rows > 0) {
                    checkColumn(st, expected, column, rows, anomalies);
                }
            }
            for (TableColumn column : table.columns()) {
                if (schema.column(column.name()).isEmpty()) {
                    anomalies.add(new Anomaly(
                            column.name(),
                            Kind.NEW_COLUMN,
                            0,
                            List.of(),
                            "column is not in the schema (type " + column.duckDbType() + ")",
                            false));
                }
            }
            return new ValidationResult(table.path().toString(), rows, anomalies);
        } catch (SQLException e) {
            throw table.failure(e);
        }
    }

    private static void checkColumn(
            Statement st, ColumnSchema expected, TableColumn column, long rows, List<Anomaly> anomalies)
            throws SQLException {
        String c = TableFile.quote(column.name());
        if (!expected.type().accepts(column.type())) {
            anomalies.add(new Anomaly(
                    column.name(),
                    Kind.TYPE_MISMATCH,
                    0,
                    List.of(),
                    "expected " + expected.type() + ", found " + column.duckDbType(),
                    true));
        }
        long present = scalar(st, "SELECT count(" + c + ") FROM " + TableFile.VIEW);
        double completeness = (double) present / rows;
        if (completeness < expected.completeness()) {
            anomalies.add(new Anomaly(
                    column.name(),
                    Kind.COMPLETENESS_BELOW_EXPECTED,
                    rows - present,
                    List.of(),
                    String.format(
                            Locale.ROOT,
                            "%.4f of values present, expected at least %.4f",
                            completeness,
                            expected.completeness()),
                    true));
        }
        if (expected.range().isPresent()) {
            checkRange(st, c, column.name(), expected.range().get(), anomalies);
        }
        if (!expected.domain().isEmpty()) {
            checkDomain(st, c, column.name(), expected.domain(), anomalies);
        }
        if (expected.unique()) {
            long distinct = scalar(st, "SELECT count(DISTINCT " + c + ") FROM " + TableFile.VIEW);
            if (distinct < present) {
                anomalies.add(new Anomaly(
                        column.name(),
                        Kind.DUPLICATE_VALUES,
                        present - distinct,
                        List.of(),
                        (present - distinct) + " duplicate values in a unique column",
                        true));
            }
        }
    }

    private static void checkRange(Statement st, String c, String name, NumericRange range, List<Anomaly> anomalies)
            throws SQLException {
        // TRY_CAST: a column that became text still has its numbers checked; NaN counts as out of range.
        String value = "TRY_CAST(" + c + " AS DOUBLE)";
        String outside = value + " IS NOT NULL AND (isnan(" + value + ") OR " + value + " < " + range.min() + " OR "
                + value + " > " + range.max() + ")";
        long count = scalar(st, "SELECT count(*) FROM " + TableFile.VIEW + " WHERE " + outside);
        if (count > 0) {
            List<String> examples = examples(
                    st,
                    "SELECT DISTINCT " + value + " FROM " + TableFile.VIEW + " WHERE " + outside + " LIMIT "
                            + EXAMPLES);
            anomalies.add(new Anomaly(
                    name,
                    Kind.OUT_OF_RANGE,
                    count,
                    examples,
                    count + " values outside [" + range.min() + ", " + range.max() + "]",
                    true));
        }
    }

    private static void checkDomain(Statement st, String c, String name, List<String> domain, List<Anomaly> anomalies)
            throws SQLException {
        String list = domain.stream().map(TableFile::literal).collect(Collectors.joining(", "));
        String unseen = c + " IS NOT NULL AND CAST(" + c + " AS VARCHAR) NOT IN (" + list + ")";
        long count = scalar(st, "SELECT count(*) FROM " + TableFile.VIEW + " WHERE " + unseen);
        if (count > 0) {
            List<String> examples = examples(
                    st,
                    "SELECT DISTINCT CAST(" + c + " AS VARCHAR) AS v FROM " + TableFile.VIEW + " WHERE " + unseen
                            + " ORDER BY v LIMIT " + EXAMPLES);
            anomalies.add(new Anomaly(
                    name, Kind.UNSEEN_CATEGORY, count, examples, count + " values outside the domain", true));
        }
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> examples(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(Optional.ofNullable(rs.getString(1)).orElse("null"));
            }
        }
        return out;
    }
}
