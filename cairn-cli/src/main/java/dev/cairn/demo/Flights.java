package dev.cairn.demo;

import dev.cairn.core.CairnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flights table of the demo, read and written through DuckDB so that the 3-million-row file
 * streams instead of being held in memory: month ranges cut into Parquet files, flights sampled for
 * replay, and the model's features computed in SQL.
 */
final class Flights {
    /** One flight as read from the file. */
    record Flight(LocalDateTime date, int delay, int distance, String origin, String destination) {
        boolean delayed() {
            return delay > 15;
        }
    }

    private static final String COLUMNS =
            "strftime(CAST(date AS TIMESTAMP), '%Y-%m-%dT%H:%M'), delay, distance, origin, destination";

    private Flights() {}

    /**
     * Writes the flights of months {@code from}..{@code to} of {@code source} (CSV or Parquet) to a
     * Parquet file, in a stable order, so that the same months always give the same dataset version.
     */
    static long writeMonths(Path source, int from, int to, Path out) {
        try {
            Files.createDirectories(out.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String select = "SELECT CAST(date AS TIMESTAMP) AS date, CAST(delay AS INTEGER) AS delay,"
                + " CAST(distance AS INTEGER) AS distance, origin, destination FROM " + table(source)
                + " WHERE month(CAST(date AS TIMESTAMP)) BETWEEN " + from + " AND " + to
                + " AND delay IS NOT NULL AND distance IS NOT NULL AND origin IS NOT NULL AND destination IS NOT NULL"
                + " ORDER BY date, origin, destination, delay, distance";
        return update(source, copy(select, out));
    }

    /** At most {@code limit} flights of {@code csv}, evenly spaced through it. */
    static List<Flight> sample(Path csv, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM (SELECT *, row_number() OVER () - 1 AS i,"
                + " count(*) OVER () AS n FROM " + table(csv) + ") WHERE i % greatest(1, ceil(n / " + limit
                + ")::BIGINT) = 0 ORDER BY i LIMIT " + limit;
        List<Flight> flights = new ArrayList<>();
        query(csv, sql, rs -> flights.add(flight(rs)));
        return flights;
    }

    /**
     * Writes the features of every flight of {@code csv} with {@code encoder}: every fifth flight to
     * {@code holdout}, the others to {@code train}; returns the two counts. DuckDB computes them in
     * parallel, in the file's order, so the same data always gives the same bytes.
     */
    static long[] writeFeatures(Path csv, Encoder encoder, Path train, Path holdout) {
        String features = "SELECT (delay > 15)::INTEGER AS delayed, origin, destination,"
                + " CASE WHEN distance < 500 THEN 'short' WHEN distance < 1500 THEN 'medium' ELSE 'long' END AS haul,"
                + " CAST(isodow(d) / 7.0 AS FLOAT) AS day_of_week,"
                + " CAST(coalesce(dr.rate, " + encoder.prior() + ") AS FLOAT) AS dest_rate,"
                + " CAST(distance / 1000.0 AS FLOAT) AS distance, CAST(hour(d) / 24.0 AS FLOAT) AS hour,"
                + " CAST(month(d) / 12.0 AS FLOAT) AS month,"
                + " CAST(coalesce(orr.rate, " + encoder.prior() + ") AS FLOAT) AS origin_rate"
                + " FROM (SELECT *, CAST(date AS TIMESTAMP) AS d, row_number() OVER () - 1 AS i FROM " + table(csv)
                + ") f"
                + " LEFT JOIN " + values(encoder.destinations()) + " dr ON dr.airport = f.destination"
                + " LEFT JOIN " + values(encoder.origins()) + " orr ON orr.airport = f.origin";
        long[] counts = new long[2];
        try {
            Files.createDirectories(train.getParent());
            Files.createDirectories(holdout.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        counts[0] = update(csv, copy(features + " WHERE i % 5 <> 4 ORDER BY i", train));
        counts[1] = update(csv, copy(features + " WHERE i % 5 = 4 ORDER BY i", holdout));
        return counts;
    }

    private static String copy(String select, Path out) {
        return "COPY (" + select + ") TO '" + literal(out) + "' (FORMAT PARQUET)";
    }

    private static String values(Map<String, Double> rates) {
        StringBuilder sql = new StringBuilder("(SELECT * FROM (VALUES ");
        rates.forEach((airport, rate) -> sql.append("('")
                .append(airport.replace("'", "''"))
                .append("', ")
                .append(rate)
                .append("),"));
        sql.append("('', 0.0)) AS t(airport, rate))");
        return sql.toString();
    }

    static long count(Path file) {
        long[] n = {0};
        query(file, "SELECT count(*) FROM " + table(file), rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    /**
     * Turns flights into the model's features: day of week, the smoothed delay rates of destination
     * and origin, distance, hour, month. The rates are learnt once, on the first training data, and
     * shared by every model version, so that traffic is encoded the same whichever version answers.
     */
    record Encoder(double prior, Map<String, Double> origins, Map<String, Double> destinations) {
        static final String[] FEATURES = {"day_of_week", "dest_rate", "distance", "hour", "month", "origin_rate"};

        /** Learns the rates on the training part (four fifths) of {@code csv}. */
        static Encoder learn(Path csv) {
            double[] prior = {0};
            String training =
                    "(SELECT *, (delay > 15)::INTEGER AS y FROM (SELECT *, row_number() OVER () - 1 AS i FROM "
                            + table(csv) + ") WHERE i % 5 <> 4)";
            query(csv, "SELECT avg(y) FROM " + training, rs -> prior[0] = rs.getDouble(1));
            return new Encoder(
                    prior[0], rates(csv, training, "origin", prior[0]), rates(csv, training, "destination", prior[0]));
        }

        private static Map<String, Double> rates(Path csv, String training, String column, double prior) {
            Map<String, Double> rates = new HashMap<>();
            // smoothing towards the overall rate keeps rare airports from getting extreme rates
            query(
                    csv,
                    "SELECT " + column + ", sum(y), count(*) FROM " + training + " GROUP BY 1",
                    rs -> rates.put(rs.getString(1), (rs.getLong(2) + 20 * prior) / (rs.getLong(3) + 20)));
            return rates;
        }

        /** The features of one flight, in {@link #FEATURES} order. */
        float[] features(Flight f) {
            return new float[] {
                f.date().getDayOfWeek().getValue() / 7f,
                destinations.getOrDefault(f.destination(), prior).floatValue(),
                f.distance() / 1000f,
                f.date().getHour() / 24f,
                f.date().getMonthValue() / 12f,
                origins.getOrDefault(f.origin(), prior).floatValue()
            };
        }
    }

    private static Flight flight(ResultSet rs) throws SQLException {
        return new Flight(
                LocalDateTime.parse(rs.getString(1)), rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getString(5));
    }

    /** One row of a query. */
    @FunctionalInterface
    private interface RowConsumer {
        void accept(ResultSet rs) throws SQLException, IOException;
    }

    private static void query(Path file, String sql, RowConsumer each) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                each.accept(rs);
            }
        } catch (SQLException e) {
            throw CairnException.invalid("flights file " + file + ": " + firstLine(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long update(Path file, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        } catch (SQLException e) {
            throw CairnException.invalid("flights file " + file + ": " + firstLine(e));
        }
    }

    /** The DuckDB table function reading {@code file}: Parquet by its extension, CSV otherwise. */
    private static String table(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".parquet")
                ? "read_parquet('" + literal(file) + "')"
                : "read_csv('" + literal(file) + "', header = true, auto_detect = true)";
    }

    private static String literal(Path file) {
        return file.toAbsolutePath().toString().replace("'", "''");
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.strip().lines().findFirst().orElse(m);
    }
}
