package dev.cairn.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How a metric value is stored: NaN as 0 with {@code is_nan} set, because SQLite turns NaN into
 * NULL; infinities are stored as they are.
 */
final class MetricRows {
    private MetricRows() {}

    static double storedValue(double value) {
        return Double.isNaN(value) ? 0.0 : value;
    }

    /** Reads (key, value, is_nan, ts, step) starting at column {@code first}. */
    static Metric metric(ResultSet rs, int first) throws SQLException {
        String key = rs.getString(first);
        double value = rs.getDouble(first + 1);
        boolean nan = rs.getBoolean(first + 2);
        return new Metric(key, nan ? Double.NaN : value, rs.getLong(first + 3), rs.getLong(first + 4));
    }
}
