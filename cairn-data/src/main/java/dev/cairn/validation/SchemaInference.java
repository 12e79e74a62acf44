package dev.cairn.validation;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Infers a {@link Schema} from a table: each column's type, observed numeric range, the domain of
 * string and boolean columns with at most {@value #MAX_DOMAIN} distinct values, completeness (the
 * observed non-null fraction, rounded down to 4 decimals) and uniqueness (integer and string columns
 * whose non-null values are all distinct). The result is a starting point to edit.
 */
public final class SchemaInference {
    /** String columns with more distinct values than this get no domain. */
    public static final int MAX_DOMAIN = 50;

    private SchemaInference() {}

    public static Schema infer(Path table) {
        try (TableFile file = TableFile.open(table)) {
            return infer(file);
        }
    }

    public static Schema infer(TableFile table) {
        try (Statement st = table.connection().createStatement()) {
            long rows = rowCount(st);
            List<ColumnSchema> columns = new ArrayList<>();
            for (TableColumn column : table.columns()) {
                columns.add(inferColumn(st, column, rows));
            }
            return Schema.of(columns);
        } catch (SQLException e) {
            throw table.failure(e);
        }
    }

    static long rowCount(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TableFile.VIEW)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static ColumnSchema inferColumn(Statement st, TableColumn column, long rows) throws SQLException {
        String c = TableFile.quote(column.name());
        boolean numeric = column.type().isNumeric();
        String sql = "SELECT count(" + c + "), count(DISTINCT " + c + ")"
                + (numeric ? ", min(" + c + ")::DOUBLE, max(" + c + ")::DOUBLE" : "")
                + " FROM " + TableFile.VIEW;
        long present;
        long distinct;
        Optional<NumericRange> range = Optional.empty();
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            present = rs.getLong(1);
            distinct = rs.getLong(2);
            if (numeric && present > 0) {
                double min = rs.getDouble(3);
                double max = rs.getDouble(4);
                if (!Double.isNaN(min) && !Double.isNaN(max)) {
                    range = Optional.of(new NumericRange(min, max));
                }
            }
        }
        List<String> domain = List.of();
        boolean categorical = column.type() == DataType.STRING || column.type() == DataType.BOOLEAN;
        if (categorical && distinct > 0 && distinct <= MAX_DOMAIN) {
            domain = distinctValues(st, c);
        }
        double completeness = rows == 0 ? 0.0 : Math.floor((double) present / rows * 1e4) / 1e4;
        boolean unique = present > 1
                && distinct == present
                && (column.type() == DataType.INTEGER || column.type() == DataType.STRING);
        return new ColumnSchema(column.name(), column.type(), range, domain, completeness, unique);
    }

    private static List<String> distinctValues(Statement st, String c) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT DISTINCT CAST(" + c + " AS VARCHAR) AS v FROM " + TableFile.VIEW
                + " WHERE " + c + " IS NOT NULL ORDER BY v")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** Constraints worth keeping, in words, from an inferred schema (for a person editing the file). */
    public static List<String> suggestions(Schema schema) {
        List<String> out = new ArrayList<>();
        for (ColumnSchema c : schema.columns()) {
            String type = c.type().name().toLowerCase(Locale.ROOT);
            out.add(c.name() + ": type " + type);
            if (c.completeness() == 1.0) {
                out.add(c.name() + ": never null");
            } else {
                out.add(String.format(Locale.ROOT, "%s: at least %.2f%% present", c.name(), c.completeness() * 100));
            }
            c.range()
                    .ifPresent(r -> out.add(String.format(
                            Locale.ROOT,
                            "%s: values within [%s, %s] (observed; widen if the data allows)",
                            c.name(),
                            r.min(),
                            r.max())));
            if (!c.domain().isEmpty()) {
                out.add(c.name() + ": one of " + c.domain().size() + " values " + c.domain());
            }
            if (c.unique()) {
                out.add(c.name() + ": unique (a key?)");
            }
        }
        return out;
    }
}
