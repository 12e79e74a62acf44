package dev.cairn.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Reads runs with their data: a page of runs costs one query per table (runs, params, tags,
 * latest metrics, inputs), whatever the number of runs, never one query per run.
 */
final class RunLoader {
    static final String RUN_COLUMNS =
            "r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri,"
                    + " r.lifecycle_stage";
    private static final int CHUNK = 2000;

    private RunLoader() {}

    static RunInfo mapInfo(ResultSet rs) throws SQLException {
        long endTime = rs.getLong(7);
        OptionalLong end = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(endTime);
        return new RunInfo(
                rs.getString(1),
                Long.toString(rs.getLong(2)),
                rs.getString(3),
                rs.getString(4),
                RunStatus.valueOf(rs.getString(5)),
                rs.getLong(6),
                end,
                rs.getString(8),
                stage(rs.getString(9)));
    }

    static LifecycleStage stage(String wire) {
        return "deleted".equals(wire) ? LifecycleStage.DELETED : LifecycleStage.ACTIVE;
    }

    static Optional<RunInfo> info(Handle handle, String runId) {
        return handle.createQuery("SELECT " + RUN_COLUMNS + " FROM runs r WHERE r.run_uuid = ?")
                .bind(0, runId)
                .map((rs, ctx) -> mapInfo(rs))
                .findOne();
    }

    /** The runs with their params, tags, latest metrics and inputs, in the order of {@code infos}. */
    static List<Run> load(Handle handle, List<RunInfo> infos) {
        Map<String, RunData> data = new LinkedHashMap<>();
        for (RunInfo info : infos) {
            data.put(info.runId(), new RunData());
        }
        List<String> ids = new ArrayList<>(data.keySet());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            loadChunk(handle, chunk, data);
        }
        List<Run> runs = new ArrayList<>(infos.size());
        for (RunInfo info : infos) {
            RunData d = data.get(info.runId());
            runs.add(new Run(info, d.metrics, d.params, d.tags, d.inputs()));
        }
        return runs;
    }

    private static void loadChunk(Handle handle, List<String> ids, Map<String, RunData> data) {
        new BoundSql()
                .append("SELECT run_uuid, key, value FROM params WHERE run_uuid IN ")
                .appendList(ids)
                .append(" ORDER BY run_uuid, key")
                .forEachRow(handle, rs -> {
                    data.get(rs.getString(1)).params.add(new Param(rs.getString(2), rs.getString(3)));
                });
        new BoundSql()
                .append("SELECT run_uuid, key, value FROM tags WHERE run_uuid IN ")
                .appendList(ids)
                .append(" ORDER BY run_uuid, key")
                .forEachRow(handle, rs -> {
                    data.get(rs.getString(1)).tags.add(new Tag(rs.getString(2), rs.getString(3)));
                });
        new BoundSql()
                .append("SELECT run_uuid, key, value, is_nan, ts, step FROM latest_metrics WHERE run_uuid IN ")
                .appendList(ids)
                .append(" ORDER BY run_uuid, key")
                .forEachRow(handle, rs -> {
                    data.get(rs.getString(1)).metrics.add(MetricRows.metric(rs, 2));
                });
        loadInputs(handle, ids, data);
    }

    private static void loadInputs(Handle handle, List<String> ids, Map<String, RunData> data) {
        new BoundSql()
                .append("SELECT ri.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema_json,"
                        + " d.profile_json FROM run_inputs ri JOIN input_datasets d ON d.dataset_uuid = ri.dataset_uuid"
                        + " WHERE ri.run_uuid IN ")
                .appendList(ids)
                .append(" ORDER BY ri.run_uuid, d.name, d.digest")
                .forEachRow(handle, rs -> {
                    DatasetInput.Dataset dataset = new DatasetInput.Dataset(
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8));
                    data.get(rs.getString(1)).datasets.put(rs.getString(2), dataset);
                });
        new BoundSql()
                .append("SELECT run_uuid, dataset_uuid, key, value FROM run_input_tags WHERE run_uuid IN ")
                .appendList(ids)
                .append(" ORDER BY run_uuid, dataset_uuid, key")
                .forEachRow(handle, rs -> {
                    data.get(rs.getString(1))
                            .inputTags
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                            .add(new Tag(rs.getString(3), rs.getString(4)));
                });
    }

    /** The data of one run while it is being assembled. */
    private static final class RunData {
        final List<Metric> metrics = new ArrayList<>();
        final List<Param> params = new ArrayList<>();
        final List<Tag> tags = new ArrayList<>();
        final Map<String, DatasetInput.Dataset> datasets = new LinkedHashMap<>();
        final Map<String, List<Tag>> inputTags = new HashMap<>();

        List<DatasetInput> inputs() {
            List<DatasetInput> inputs = new ArrayList<>(datasets.size());
            datasets.forEach(
                    (uuid, dataset) -> inputs.add(new DatasetInput(dataset, inputTags.getOrDefault(uuid, List.of()))));
            return inputs;
        }
    }
}
