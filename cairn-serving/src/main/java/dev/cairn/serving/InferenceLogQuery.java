package dev.cairn.serving;

import dev.cairn.core.CairnException;
import dev.cairn.store.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.mapper.RowMapper;

/** Reads the inference log for monitoring: by request id, and by model or deployment over a time window. */
public final class InferenceLogQuery {
    private static final String COLUMNS =
            "request_id, deployment, model_name, model_version, logged_at, latency_us," + " status, inputs, outputs";
    private static final RowMapper<LoggedInference> ROW = (rs, ctx) -> new LoggedInference(
            rs.getString("request_id"),
            rs.getString("deployment"),
            rs.getString("model_name"),
            rs.getString("model_version"),
            Instant.ofEpochMilli(rs.getLong("logged_at")),
            rs.getLong("latency_us"),
            rs.getString("status"),
            rs.getString("inputs"),
            rs.getString("outputs"));

    private final Database database;

    public InferenceLogQuery(Database database) {
        this.database = database;
    }

    /** The logged prediction of request {@code requestId}, if it was sampled and written. */
    public Optional<LoggedInference> byRequestId(String requestId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM inference_log WHERE request_id = ? ORDER BY logged_at LIMIT 1")
                .bind(0, requestId)
                .map(ROW)
                .findOne());
    }

    /** Predictions of {@code model} (every version) in {@code [from, to)}, oldest first, at most {@code limit}. */
    public List<LoggedInference> byModel(String model, Instant from, Instant to, int limit) {
        return window("model_name", model, from, to, limit);
    }

    /** Predictions made through {@code deployment} in {@code [from, to)}, oldest first, at most {@code limit}. */
    public List<LoggedInference> byDeployment(String deployment, Instant from, Instant to, int limit) {
        return window("deployment", deployment, from, to, limit);
    }

    /**
     * Streams the predictions made through {@code deployment} in {@code [from, to)}, oldest first, to
     * {@code each} while they are read, so that a window of any size is never held in memory.
     */
    public void streamByDeployment(String deployment, Instant from, Instant to, Consumer<LoggedInference> each) {
        CairnException.requireArgument(!to.isBefore(from), "time window: 'to' " + to + " is before 'from' " + from);
        database.jdbi().useHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM inference_log WHERE deployment = ? AND logged_at >= ? AND logged_at < ?"
                        + " ORDER BY logged_at")
                .bind(0, deployment)
                .bind(1, from.toEpochMilli())
                .bind(2, to.toEpochMilli())
                .setFetchSize(1000)
                .map(ROW)
                .forEach(each));
    }

    private List<LoggedInference> window(String column, String value, Instant from, Instant to, int limit) {
        CairnException.requireArgument(limit >= 1 && limit <= 100_000, "limit must be in [1, 100000], got " + limit);
        CairnException.requireArgument(!to.isBefore(from), "time window: 'to' " + to + " is before 'from' " + from);
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM inference_log WHERE " + column
                        + " = ? AND logged_at >= ? AND logged_at < ? ORDER BY logged_at LIMIT ?")
                .bind(0, value)
                .bind(1, from.toEpochMilli())
                .bind(2, to.toEpochMilli())
                .bind(3, limit)
                .map(ROW)
                .list());
    }
}
