package dev.cairn.tracking;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The writes of a run's data (metrics, params, tags, inputs); each runs inside a write transaction. */
final class RunLogWriter {
    static final String RUN_NAME_TAG = "mlflow.runName";
    static final String DATASET_CONTEXT_TAG = "mlflow.data.context";

    /** The latest point of a metric: greatest step, then timestamp, then value. */
    private static final Comparator<Metric> LATEST = Comparator.comparingLong(Metric::step)
            .thenComparingLong(Metric::timestamp)
            .thenComparingDouble(m -> MetricRows.storedValue(m.value()));

    private RunLogWriter() {}

    static void logBatch(Handle h, String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        requireActiveRun(h, runId);
        writeParams(h, runId, params);
        writeTags(h, runId, tags);
        writeMetrics(h, runId, metrics);
    }

    /** The run's experiment id; fails unless the run exists and is active. */
    static long requireActiveRun(Handle h, String runId) {
        Object[] row =
                CachedStatements.with(h, "SELECT experiment_id, lifecycle_stage FROM runs WHERE run_uuid = ?", s -> {
                    s.setString(1, runId);
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? new Object[] {rs.getLong(1), rs.getString(2)} : null;
                    }
                });
        if (row == null) {
            throw JdbcTrackingStore.runNotFound(runId);
        }
        String stage = (String) row[1];
        CairnException.requireArgument(
                "active".equals(stage),
                "The run " + runId + " must be in the 'active' state. Current state is " + stage + ".");
        return (Long) row[0];
    }

    static void writeParams(Handle h, String runId, List<Param> params) {
        if (params.isEmpty()) {
            return;
        }
        Map<String, String> existing = new HashMap<>();
        new BoundSql()
                .append("SELECT key, value FROM params WHERE run_uuid = ? AND key IN ", runId)
                .appendList(params.stream().map(Param::key).toList())
                .query(h)
                .map((rs, ctx) -> existing.put(rs.getString(1), rs.getString(2)))
                .list();
        PreparedBatch insert = h.prepareBatch("INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?)");
        for (Param param : params) {
            String old = existing.get(param.key());
            if (old == null) {
                insert.add(runId, param.key(), param.value());
            } else if (!old.equals(param.value())) {
                throw CairnException.invalid("Changing param values is not allowed. Param with key='" + param.key()
                        + "' was already logged with value='" + old + "' for run ID='" + runId
                        + "'. Attempted logging new value '" + param.value() + "'.");
            }
        }
        if (insert.size() > 0) {
            insert.execute();
        }
    }

    static void writeTags(Handle h, String runId, List<Tag> tags) {
        if (tags.isEmpty()) {
            return;
        }
        // One row per key (the last wins): PostgreSQL refuses to update a row twice in one statement.
        Map<String, String> byKey = new LinkedHashMap<>();
        tags.forEach(tag -> byKey.put(tag.key(), tag.value()));
        PreparedBatch upsert = h.prepareBatch("INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value");
        byKey.forEach((key, value) -> upsert.add(runId, key, value));
        upsert.execute();
        String runName = byKey.get(RUN_NAME_TAG);
        if (runName != null) {
            h.execute("UPDATE runs SET name = ? WHERE run_uuid = ?", runName, runId);
        }
    }

    static void writeMetrics(Handle h, String runId, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        Map<String, Metric> latest = new HashMap<>();
        for (Metric m : metrics) {
            latest.merge(m.key(), m, (a, b) -> LATEST.compare(a, b) >= 0 ? a : b);
        }
        // Plain JDBC batches: this is the hot path of ingest, and per-value argument resolution costs.
        batch(h, INSERT_HISTORY, runId, metrics);
        batch(h, UPSERT_LATEST, runId, latest.values());
    }

    private static final String INSERT_HISTORY = "INSERT INTO metrics (run_uuid, key, step, ts, value, is_nan)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String UPSERT_LATEST = "INSERT INTO latest_metrics (run_uuid, key, step, ts, value, is_nan)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_uuid, key) DO UPDATE SET step = excluded.step,"
            + " ts = excluded.ts, value = excluded.value, is_nan = excluded.is_nan"
            + " WHERE excluded.step > latest_metrics.step"
            + " OR (excluded.step = latest_metrics.step AND excluded.ts > latest_metrics.ts)"
            + " OR (excluded.step = latest_metrics.step AND excluded.ts = latest_metrics.ts"
            + " AND excluded.value > latest_metrics.value)";

    private static void batch(Handle h, String sql, String runId, Collection<Metric> metrics) {
        try {
            // Always a JDBC batch, even for the single point of a log-metric call: sqlite-jdbc's
            // executeUpdate looks up the generated key after every INSERT (a regular expression on
            // the SQL and a freshly compiled SELECT last_insert_rowid()), which a batch skips.
            CachedStatements.with(h, sql, statement -> {
                for (Metric m : metrics) {
                    bind(statement, runId, m);
                    statement.addBatch();
                }
                return statement.executeBatch().length;
            });
        } catch (CairnException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR, "storing metrics of run " + runId + " failed: " + e.getCause(), e);
        }
    }

    private static void bind(PreparedStatement statement, String runId, Metric m) throws SQLException {
        statement.setString(1, runId);
        statement.setString(2, m.key());
        statement.setLong(3, m.step());
        statement.setLong(4, m.timestamp());
        statement.setDouble(5, MetricRows.storedValue(m.value()));
        statement.setBoolean(6, isNan(m));
    }

    private static boolean isNan(Metric m) {
        return Double.isNaN(m.value());
    }

    static void logInputs(Handle h, String runId, List<DatasetInput> inputs) {
        long experimentId = requireActiveRun(h, runId);
        for (DatasetInput input : inputs) {
            String datasetUuid = datasetUuid(h, experimentId, input.dataset());
            h.execute(
                    "INSERT INTO run_inputs (run_uuid, dataset_uuid) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    runId,
                    datasetUuid);
            for (Tag tag : input.tags()) {
                h.execute(
                        "INSERT INTO run_input_tags (run_uuid, dataset_uuid, key, value) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (run_uuid, dataset_uuid, key) DO UPDATE SET value = excluded.value",
                        runId,
                        datasetUuid,
                        tag.key(),
                        tag.value());
            }
        }
    }

    /** Datasets are shared within an experiment by (name, digest): the first one logged is kept. */
    private static String datasetUuid(Handle h, long experimentId, DatasetInput.Dataset d) {
        h.execute(
                "INSERT INTO input_datasets (dataset_uuid, experiment_id, name, digest, source_type, source,"
                        + " schema_json, profile_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (experiment_id, name, digest) DO NOTHING",
                UUID.randomUUID().toString().replace("-", ""),
                experimentId,
                d.name(),
                d.digest(),
                d.sourceType(),
                d.source(),
                Validation.nullToEmpty(d.schema()),
                Validation.nullToEmpty(d.profile()));
        return h.createQuery(
                        "SELECT dataset_uuid FROM input_datasets WHERE experiment_id = ? AND name = ? AND digest = ?")
                .bind(0, experimentId)
                .bind(1, d.name())
                .bind(2, d.digest())
                .mapTo(String.class)
                .one();
    }
}
