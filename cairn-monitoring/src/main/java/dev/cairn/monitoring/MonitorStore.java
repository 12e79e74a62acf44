package dev.cairn.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.monitoring.alerts.Alert;
import dev.cairn.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The SQL of monitors, their results, alerts and feedback labels (migration V7). */
final class MonitorStore {
    private final Database database;
    private final ObjectMapper json;

    MonitorStore(Database database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    /** Stores {@code spec} and its lineage in one transaction. */
    void create(MonitorSpec spec, List<LineageEdge> lineage) {
        String text = write(spec.toJson(json));
        boolean created = database.write(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM monitors WHERE name = ?")
                            .bind(0, spec.name())
                            .mapTo(Long.class)
                            .one()
                    > 0) {
                return false;
            }
            h.execute(
                    "INSERT INTO monitors (name, deployment, spec, created_at) VALUES (?, ?, ?, ?)",
                    spec.name(),
                    spec.deployment(),
                    text,
                    System.currentTimeMillis());
            LineageStore.recordIn(h, lineage);
            return true;
        });
        if (!created) {
            throw CairnException.alreadyExists("monitor '" + spec.name() + "' already exists");
        }
    }

    Optional<MonitorSpec> get(String name) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT spec FROM monitors WHERE name = ?")
                .bind(0, name)
                .mapTo(String.class)
                .findOne()
                .map(this::spec));
    }

    List<MonitorSpec> list() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT spec FROM monitors ORDER BY name")
                .mapTo(String.class)
                .map(this::spec)
                .list());
    }

    void saveResult(MonitorResult r) {
        database.write(h -> {
            h.execute(
                    "DELETE FROM monitor_results WHERE monitor = ? AND window_start = ? AND window_end = ?",
                    r.monitor(),
                    r.windowStart().toEpochMilli(),
                    r.windowEnd().toEpochMilli());
            return h.createUpdate("INSERT INTO monitor_results (monitor, window_start, window_end, status, row_count,"
                            + " labeled_count, drift_share, dataset_drift, columns_json, metrics_json, computed_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, r.monitor())
                    .bind(1, r.windowStart().toEpochMilli())
                    .bind(2, r.windowEnd().toEpochMilli())
                    .bind(3, r.status())
                    .bind(4, r.rowCount())
                    .bind(5, r.labeledCount())
                    .bind(6, Double.isNaN(r.driftShare()) ? null : r.driftShare())
                    .bind(7, r.datasetDrift() ? 1 : 0)
                    .bind(8, write(r.columns()))
                    .bind(9, write(r.metrics()))
                    .bind(10, System.currentTimeMillis())
                    .execute();
        });
    }

    /** The latest {@code limit} results, oldest first. */
    List<MonitorResult> results(String monitor, int limit) {
        List<MonitorResult> newestFirst = database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM monitor_results"
                        + " WHERE monitor = ? ORDER BY window_end DESC, window_start DESC LIMIT ?")
                .bind(0, monitor)
                .bind(1, limit)
                .map((rs, ctx) -> result(rs))
                .list());
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    Optional<Alert> openAlert(String monitor, String rule) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM monitor_alerts WHERE monitor = ? AND rule = ? AND state = 'FIRING'")
                .bind(0, monitor)
                .bind(1, rule)
                .map((rs, ctx) -> alert(rs))
                .findFirst());
    }

    Alert fire(String monitor, String rule, double value, String message, Instant at) {
        Alert alert = new Alert(
                UUID.randomUUID().toString(), monitor, rule, Alert.State.FIRING, value, message, at, Optional.empty());
        database.write(h -> h.execute(
                "INSERT INTO monitor_alerts (id, monitor, rule, state, value, message, fired_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                alert.id(),
                monitor,
                rule,
                "FIRING",
                value,
                message,
                at.toEpochMilli()));
        return alert;
    }

    Alert resolve(Alert alert, double value, Instant at) {
        database.write(h -> h.execute(
                "UPDATE monitor_alerts SET state = 'RESOLVED', resolved_at = ? WHERE id = ?",
                at.toEpochMilli(),
                alert.id()));
        return new Alert(
                alert.id(),
                alert.monitor(),
                alert.rule(),
                Alert.State.RESOLVED,
                value,
                alert.message(),
                alert.firedAt(),
                Optional.of(at));
    }

    List<Alert> alerts(String monitor) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM monitor_alerts WHERE monitor = ? ORDER BY fired_at, id")
                        .bind(0, monitor)
                        .map((rs, ctx) -> alert(rs))
                        .list());
    }

    /** Stores labels whose request id is new (one writer, so the check cannot race); returns how many. */
    int insertLabels(List<Map.Entry<LabelTarget, String>> labels) {
        if (labels.isEmpty()) {
            return 0;
        }
        long now = System.currentTimeMillis();
        return database.write(h -> {
            // Counted here rather than from batch update counts, which PostgreSQL's rewritten batches do not give.
            java.util.Set<String> existing = new java.util.HashSet<>();
            for (int from = 0; from < labels.size(); from += 500) {
                List<String> ids = labels.subList(from, Math.min(labels.size(), from + 500)).stream()
                        .map(e -> e.getKey().requestId())
                        .toList();
                existing.addAll(h.createQuery("SELECT request_id FROM monitor_feedback WHERE request_id IN (<ids>)")
                        .bindList("ids", ids)
                        .mapTo(String.class)
                        .list());
            }
            var batch = h.prepareBatch("INSERT INTO monitor_feedback (request_id, deployment, logged_at, label,"
                    + " received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING");
            int inserted = 0;
            for (Map.Entry<LabelTarget, String> e : labels) {
                if (existing.contains(e.getKey().requestId())) {
                    continue;
                }
                batch.bind(0, e.getKey().requestId())
                        .bind(1, e.getKey().deployment())
                        .bind(2, e.getKey().loggedAt())
                        .bind(3, e.getValue())
                        .bind(4, now)
                        .add();
                inserted++;
            }
            if (inserted > 0) {
                batch.execute();
            }
            return inserted;
        });
    }

    /** The labels of predictions made through {@code deployment} in {@code [from, to)}. */
    Map<String, String> labels(String deployment, Instant from, Instant to) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT request_id, label FROM monitor_feedback"
                        + " WHERE deployment = ? AND logged_at >= ? AND logged_at < ?")
                .bind(0, deployment)
                .bind(1, from.toEpochMilli())
                .bind(2, to.toEpochMilli())
                .setMapKeyColumn("request_id")
                .setMapValueColumn("label")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() {}));
    }

    /** A logged prediction a label is attached to. */
    record LabelTarget(String requestId, String deployment, long loggedAt) {}

    private MonitorResult result(ResultSet rs) throws SQLException {
        double share = rs.getDouble("drift_share");
        if (rs.wasNull()) {
            share = Double.NaN;
        }
        try {
            return new MonitorResult(
                    rs.getString("monitor"),
                    Instant.ofEpochMilli(rs.getLong("window_start")),
                    Instant.ofEpochMilli(rs.getLong("window_end")),
                    rs.getString("status"),
                    rs.getLong("row_count"),
                    rs.getLong("labeled_count"),
                    share,
                    rs.getInt("dataset_drift") == 1,
                    json.readTree(rs.getString("columns_json")),
                    json.readTree(rs.getString("metrics_json")));
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "stored monitor result is not JSON", e);
        }
    }

    private static Alert alert(ResultSet rs) throws SQLException {
        long resolved = rs.getLong("resolved_at");
        Optional<Instant> resolvedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(resolved));
        return new Alert(
                rs.getString("id"),
                rs.getString("monitor"),
                rs.getString("rule"),
                Alert.State.valueOf(rs.getString("state")),
                rs.getDouble("value"),
                rs.getString("message"),
                Instant.ofEpochMilli(rs.getLong("fired_at")),
                resolvedAt);
    }

    private MonitorSpec spec(String text) {
        try {
            return MonitorSpec.fromJson(json.readTree(text));
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "stored monitor spec is not JSON", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "could not write JSON", e);
        }
    }
}
