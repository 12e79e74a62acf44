package dev.cairn.tracking;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Reads runs with their data: a page of runs costs one query per table (runs, params, tags,
 * latest metrics, inputs), whatever the number of runs, never one query per run. On SQLite the
 * page's run ids are bound as one JSON array and joined as a table that also gives each id its
 * position in the page, so rows are filed by position without decoding and hashing the run id of
 * every row. On PostgreSQL the ids go in an {@code IN} list, which measured faster there.
 */
final class RunLoader {
    static final String RUN_COLUMNS =
            "r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri,"
                    + " r.lifecycle_stage";

    private static final int CHUNK = 2000;

    private RunLoader() {}

    static RunInfo mapInfo(ResultSet rs) throws SQLException {
        return mapInfo(rs, 1);
    }

    /** Reads the {@link #RUN_COLUMNS} starting at column {@code first}. */
    private static RunInfo mapInfo(ResultSet rs, int first) throws SQLException {
        int c = first - 1;
        long endTime = rs.getLong(c + 7);
        OptionalLong end = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(endTime);
        return new RunInfo(
                rs.getString(c + 1),
                Long.toString(rs.getLong(c + 2)),
                rs.getString(c + 3),
                rs.getString(c + 4),
                RunStatus.valueOf(rs.getString(c + 5)),
                rs.getLong(c + 6),
                end,
                rs.getString(c + 8),
                stage(rs.getString(c + 9)));
    }

    static LifecycleStage stage(String wire) {
        return "deleted".equals(wire) ? LifecycleStage.DELETED : LifecycleStage.ACTIVE;
    }

    static Optional<RunInfo> info(Handle handle, String runId) {
        return CachedStatements.with(handle, "SELECT " + RUN_COLUMNS + " FROM runs r WHERE r.run_uuid = ?", s -> {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(mapInfo(rs)) : Optional.<RunInfo>empty();
            }
        });
    }

    /**
     * One run with its data. On SQLite in one reused statement: the run row and its params, tags,
     * latest metrics and inputs, each part tagged by its first column; elsewhere as a page of one.
     */
    static Optional<Run> one(Handle handle, Dialect dialect, String runId) {
        if (dialect != Dialect.SQLITE) {
            return info(handle, runId)
                    .map(info -> load(handle, dialect, List.of(info)).get(0));
        }
        return CachedStatements.with(handle, ONE_RUN, s -> {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return oneRun(rs);
            }
        });
    }

    private static final String ONE_RUN = "SELECT 0, " + RUN_COLUMNS + " FROM runs r WHERE r.run_uuid = ?1"
            + " UNION ALL SELECT 1, key, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM params"
            + " WHERE run_uuid = ?1"
            + " UNION ALL SELECT 2, key, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM tags WHERE run_uuid = ?1"
            + " UNION ALL SELECT 3, key, value, is_nan, ts, step, NULL, NULL, NULL, NULL FROM latest_metrics"
            + " WHERE run_uuid = ?1"
            + " UNION ALL SELECT 4, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema_json,"
            + " d.profile_json, NULL, NULL FROM run_inputs ri JOIN input_datasets d ON d.dataset_uuid = ri.dataset_uuid"
            + " WHERE ri.run_uuid = ?1"
            + " UNION ALL SELECT 5, dataset_uuid, key, value, NULL, NULL, NULL, NULL, NULL, NULL FROM run_input_tags"
            + " WHERE run_uuid = ?1";

    private static Optional<Run> oneRun(ResultSet rs) throws SQLException {
        RunInfo info = null;
        RunData d = new RunData();
        List<Object[]> datasets = new ArrayList<>();
        List<String[]> inputTags = new ArrayList<>();
        while (rs.next()) {
            switch (rs.getInt(1)) {
                case 0 -> info = mapInfo(rs, 2);
                case 1 -> d.params.add(new Param(rs.getString(2), rs.getString(3)));
                case 2 -> d.tags.add(new Tag(rs.getString(2), rs.getString(3)));
                case 3 -> d.metrics.add(MetricRows.metric(rs, 2));
                case 4 ->
                    datasets.add(new Object[] {
                        rs.getString(2),
                        new DatasetInput.Dataset(
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getString(8))
                    });
                default -> inputTags.add(new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        if (info == null) {
            return Optional.empty();
        }
        // The parts of a compound select come in no promised order: sort as the page loader's ORDER BY does.
        datasets.sort(Comparator.comparing((Object[] row) -> ((DatasetInput.Dataset) row[1]).name())
                .thenComparing(row -> ((DatasetInput.Dataset) row[1]).digest()));
        datasets.forEach(row -> d.datasets.put((String) row[0], (DatasetInput.Dataset) row[1]));
        inputTags.sort(Comparator.comparing((String[] row) -> row[0]).thenComparing(row -> row[1]));
        inputTags.forEach(row ->
                d.inputTags.computeIfAbsent(row[0], k -> new ArrayList<>()).add(new Tag(row[1], row[2])));
        sortByKey(d.metrics, Metric::key);
        sortByKey(d.params, Param::key);
        sortByKey(d.tags, Tag::key);
        return Optional.of(new Run(info, d.metrics, d.params, d.tags, d.inputs()));
    }

    /** The runs with their params, tags, latest metrics and inputs, in the order of {@code infos}. */
    static List<Run> load(Handle handle, Dialect dialect, List<RunInfo> infos) {
        if (infos.isEmpty()) {
            return List.of();
        }
        if (dialect == Dialect.POSTGRESQL) {
            return loadByIdList(handle, infos);
        }
        RunData[] data = new RunData[infos.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = new RunData();
        }
        Page page = new Page(handle.getConnection(), infos);
        page.forEachRow("p.key, p.value", "params p ON p.run_uuid = page.id", "p.key", true, rs -> {
            data[rs.getInt(1)].params.add(new Param(rs.getString(2), rs.getString(3)));
        });
        page.forEachRow("t.key, t.value", "tags t ON t.run_uuid = page.id", "t.key", true, rs -> {
            data[rs.getInt(1)].tags.add(new Tag(rs.getString(2), rs.getString(3)));
        });
        page.forEachRow(
                "m.key, m.value, m.is_nan, m.ts, m.step",
                "latest_metrics m ON m.run_uuid = page.id",
                "m.key",
                true,
                rs -> data[rs.getInt(1)].metrics.add(MetricRows.metric(rs, 2)));
        loadInputs(page, data);
        List<Run> runs = new ArrayList<>(infos.size());
        for (int i = 0; i < data.length; i++) {
            RunData d = data[i];
            // Read without ORDER BY (see Page.forEachRow).
            sortByKey(d.metrics, Metric::key);
            sortByKey(d.params, Param::key);
            sortByKey(d.tags, Tag::key);
            runs.add(new Run(infos.get(i), d.metrics, d.params, d.tags, d.inputs()));
        }
        return runs;
    }

    private static void loadInputs(Page page, RunData[] data) {
        page.forEachRow(
                "d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema_json, d.profile_json",
                "run_inputs ri ON ri.run_uuid = page.id JOIN input_datasets d ON d.dataset_uuid = ri.dataset_uuid",
                "d.name, d.digest",
                false,
                rs -> {
                    DatasetInput.Dataset dataset = new DatasetInput.Dataset(
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8));
                    data[rs.getInt(1)].datasets.put(rs.getString(2), dataset);
                });
        page.forEachRow(
                "it.dataset_uuid, it.key, it.value",
                "run_input_tags it ON it.run_uuid = page.id",
                "it.dataset_uuid, it.key",
                false,
                rs -> {
                    data[rs.getInt(1)]
                            .inputTags
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                            .add(new Tag(rs.getString(3), rs.getString(4)));
                });
    }

    /**
     * Puts the list in key order. SQLite hands each run's rows over in primary-key order already
     * (the join probes the (run, key) key), so this only checks; it sorts should a plan ever differ.
     */
    private static <T> void sortByKey(List<T> items, Function<T, String> key) {
        for (int i = 1; i < items.size(); i++) {
            if (key.apply(items.get(i - 1)).compareTo(key.apply(items.get(i))) > 0) {
                items.sort(Comparator.comparing(key));
                return;
            }
        }
    }

    /** The page's run ids bound as one value and joined as a table of (position, run id). */
    private static final class Page {
        private final Connection connection;
        private final List<RunInfo> infos;
        private String json;

        Page(Connection connection, List<RunInfo> infos) {
            this.connection = connection;
            this.infos = infos;
        }

        /**
         * Runs {@code SELECT page.pos, columns FROM page JOIN joined}, where {@code joined} joins on
         * {@code page.id}; the first column of each row is the run's 0-based position in the page.
         * {@code keyOrdered} marks a join on a (run, key) primary key, whose rows SQLite yields in
         * key order within each run.
         */
        void forEachRow(String columns, String joined, String orderWithinRun, boolean keyOrdered, BoundSql.Row row) {
            String sql = "SELECT page.pos, " + columns
                    + " FROM (SELECT CAST(key AS INTEGER) AS pos, value AS id FROM json_each(?)) page JOIN " + joined;
            // No ORDER BY on SQLite for a (run, key) table: it would sort every row in a temporary
            // B-tree, while the join already yields each run's rows in key order (see sortByKey).
            if (!keyOrdered) {
                sql += " ORDER BY page.pos, " + orderWithinRun;
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bindIds(statement);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        row.accept(rs);
                    }
                }
            } catch (SQLException e) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "reading runs failed: " + e.getMessage(), e);
            }
        }

        private void bindIds(PreparedStatement statement) throws SQLException {
            if (json == null) {
                json = jsonArray();
            }
            statement.setString(1, json);
        }

        private String jsonArray() {
            StringBuilder json = new StringBuilder(infos.size() * 35).append('[');
            for (int i = 0; i < infos.size(); i++) {
                json.append(i == 0 ? "\"" : ",\"");
                appendJsonString(json, infos.get(i).runId());
                json.append('"');
            }
            return json.append(']').toString();
        }

        private static void appendJsonString(StringBuilder json, String text) {
            if (text.chars().allMatch(c -> c >= 0x20 && c != '"' && c != '\\')) {
                json.append(text); // run ids are hexadecimal: the usual case
                return;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
        }
    }

    /**
     * PostgreSQL: the page's ids as an {@code IN} list. Measured faster there than joining an
     * {@code unnest} of an array (41 ms against 51 ms for a page of 1000 runs).
     */
    private static List<Run> loadByIdList(Handle handle, List<RunInfo> infos) {
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
        loadInputsByIdList(handle, ids, data);
    }

    private static void loadInputsByIdList(Handle handle, List<String> ids, Map<String, RunData> data) {
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
