package dev.cairn.pipelines.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.store.Database;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/** The pipeline tables of migration V5: executions, step runs and the step cache. */
final class RunStore {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;

    RunStore(Database db) {
        this.db = db;
    }

    /** A step cache entry: the outputs a successful execution produced for a key. */
    record CacheEntry(
            String key, String keyComponents, Map<String, StoredOutput> outputs, String sourcePipelineRunId) {}

    void insertRun(StoredRun run) {
        PipelineRunRecord r = run.record();
        db.write(h -> {
            h.createUpdate(
                            "INSERT INTO pipeline_runs (pipeline_run_id, pipeline_name, tracking_run_id, project_dir,"
                                    + " spec_json, params_json, options_json, status, owner, cancel_requested, start_time)"
                                    + " VALUES (:id, :name, :tracking, :dir, :spec, :params, :options, :status, :owner, 0, :start)")
                    .bind("id", r.id())
                    .bind("name", r.pipelineName())
                    .bind("tracking", r.trackingRunId())
                    .bind("dir", run.projectDir().toString())
                    .bind("spec", run.specJson())
                    .bind("params", toJson(r.params()))
                    .bind("options", run.optionsJson())
                    .bind("status", r.status().name())
                    .bind("owner", r.owner())
                    .bind("start", r.startTime())
                    .execute();
            for (StepRunRecord step : r.steps()) {
                h.createUpdate("INSERT INTO pipeline_step_runs (pipeline_run_id, step_name, status, attempts)"
                                + " VALUES (:id, :step, :status, 0)")
                        .bind("id", r.id())
                        .bind("step", step.step())
                        .bind("status", step.status().name())
                        .execute();
            }
            return null;
        });
    }

    /** Runs {@code writes} (calls of this store and of stores on the same database) in one transaction. */
    void together(Runnable writes) {
        db.write(h -> {
            writes.run();
            return null;
        });
    }

    /** As {@link #together(Runnable)}, returning what {@code writes} returns. */
    <T> T together(Supplier<T> writes) {
        return db.write(h -> writes.get());
    }

    void saveStep(String runId, StepState state) {
        StepRunRecord s = state.record();
        db.write(h -> h.createUpdate("UPDATE pipeline_step_runs SET status = :status, tracking_run_id = :tracking,"
                        + " cache_key = :key, cache_status = :cacheStatus, key_components = :components,"
                        + " outputs_json = :outputs, attempts = :attempts, exit_code = :exit, message = :message,"
                        + " stdout_sha256 = :stdout, stderr_sha256 = :stderr, log_dir = :logDir,"
                        + " start_seq = :startSeq, end_seq = :endSeq, start_time = :startTime, end_time = :endTime"
                        + " WHERE pipeline_run_id = :id AND step_name = :step")
                .bind("id", runId)
                .bind("step", s.step())
                .bind("status", s.status().name())
                .bind("tracking", s.trackingRunId().orElse(null))
                .bind("key", s.cacheKey().orElse(null))
                .bind("cacheStatus", s.cacheStatus().map(Enum::name).orElse(null))
                .bind("components", state.keyComponents().orElse(null))
                .bind("outputs", toJson(state.storedOutputs()))
                .bind("attempts", s.attempts())
                .bind("exit", s.exitCode().orElse(null))
                .bind("message", s.message().orElse(null))
                .bind("stdout", state.stdoutSha256().orElse(null))
                .bind("stderr", state.stderrSha256().orElse(null))
                .bind("logDir", state.logDir().orElse(null))
                .bind("startSeq", boxed(s.startSeq()))
                .bind("endSeq", boxed(s.endSeq()))
                .bind("startTime", boxed(s.startTime()))
                .bind("endTime", boxed(s.endTime()))
                .execute());
    }

    void finishRun(
            String runId, PipelineStatus status, Optional<String> message, Optional<String> failedStep, long end) {
        db.write(h -> h.createUpdate("UPDATE pipeline_runs SET status = :status, message = :message,"
                        + " failed_step = :failed, end_time = :end WHERE pipeline_run_id = :id")
                .bind("id", runId)
                .bind("status", status.name())
                .bind("message", message.orElse(null))
                .bind("failed", failedStep.orElse(null))
                .bind("end", end)
                .execute());
    }

    /** Marks a run as running again under a new owner, for a resume. */
    void reopen(String runId, String owner) {
        db.write(h -> h.createUpdate("UPDATE pipeline_runs SET status = 'RUNNING', message = NULL, failed_step = NULL,"
                        + " end_time = NULL, cancel_requested = 0, owner = :owner WHERE pipeline_run_id = :id")
                .bind("id", runId)
                .bind("owner", owner)
                .execute());
    }

    void requestCancel(String runId) {
        db.write(h -> h.createUpdate("UPDATE pipeline_runs SET cancel_requested = 1 WHERE pipeline_run_id = :id")
                .bind("id", runId)
                .execute());
    }

    boolean cancelRequested(String runId) {
        return db.jdbi().withHandle(h -> h.createQuery(
                                "SELECT cancel_requested FROM pipeline_runs WHERE pipeline_run_id = :id")
                        .bind("id", runId)
                        .mapTo(Integer.class)
                        .findOne()
                        .orElse(0))
                != 0;
    }

    Optional<StoredRun> findRun(String runId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM pipeline_runs WHERE pipeline_run_id = :id")
                .bind("id", runId)
                .map((rs, ctx) -> storedRun(rs, steps(h, runId)))
                .findOne());
    }

    Optional<StepState> findStep(String runId, String step) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM pipeline_step_runs WHERE pipeline_run_id = :id AND step_name = :step")
                .bind("id", runId)
                .bind("step", step)
                .map((rs, ctx) -> stepState(rs))
                .findOne());
    }

    /** The most recent executions, newest first, optionally of one pipeline. */
    List<PipelineRunRecord> recentRuns(Optional<String> pipelineName, int limit) {
        List<String> ids = db.jdbi().withHandle(h -> h.createQuery("SELECT pipeline_run_id FROM pipeline_runs"
                        + (pipelineName.isPresent() ? " WHERE pipeline_name = :name" : "")
                        + " ORDER BY start_time DESC, pipeline_run_id LIMIT :limit")
                .bind("name", pipelineName.orElse(""))
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
        return ids.stream()
                .flatMap(id -> findRun(id).stream())
                .map(StoredRun::record)
                .toList();
    }

    /** The key components recorded by the last execution of a step that computed a key. */
    Optional<String> lastKeyComponents(String pipelineName, String step) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT s.key_components FROM pipeline_step_runs s"
                        + " JOIN pipeline_runs r ON r.pipeline_run_id = s.pipeline_run_id"
                        + " WHERE r.pipeline_name = :name AND s.step_name = :step AND s.key_components IS NOT NULL"
                        + " ORDER BY s.start_time DESC LIMIT 1")
                .bind("name", pipelineName)
                .bind("step", step)
                .mapTo(String.class)
                .findOne());
    }

    Optional<CacheEntry> findCacheEntry(String key) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT cache_key, key_components, outputs_json,"
                        + " source_pipeline_run_id FROM pipeline_step_cache WHERE cache_key = :key")
                .bind("key", key)
                .map((rs, ctx) -> new CacheEntry(
                        rs.getString(1), rs.getString(2), storedOutputs(rs.getString(3)), rs.getString(4)))
                .findOne());
    }

    void putCacheEntry(
            String key,
            String pipelineName,
            String step,
            String components,
            Map<String, StoredOutput> outputs,
            String pipelineRunId,
            String trackingRunId) {
        db.write(h -> h.createUpdate("INSERT INTO pipeline_step_cache (cache_key, pipeline_name, step_name,"
                        + " key_components, outputs_json, source_pipeline_run_id, source_tracking_run_id, creation_time)"
                        + " VALUES (:key, :name, :step, :components, :outputs, :run, :tracking, :time)"
                        + " ON CONFLICT (cache_key) DO NOTHING")
                .bind("key", key)
                .bind("name", pipelineName)
                .bind("step", step)
                .bind("components", components)
                .bind("outputs", toJson(outputs))
                .bind("run", pipelineRunId)
                .bind("tracking", trackingRunId)
                .bind("time", System.currentTimeMillis())
                .execute());
    }

    private static List<StepState> steps(Handle h, String runId) {
        return h.createQuery("SELECT * FROM pipeline_step_runs WHERE pipeline_run_id = :id")
                .bind("id", runId)
                .map((rs, ctx) -> stepState(rs))
                .list();
    }

    private static StoredRun storedRun(ResultSet rs, List<StepState> steps) throws SQLException {
        Map<String, Object> params = fromJson(rs.getString("params_json"), new TypeReference<>() {});
        long end = rs.getLong("end_time");
        boolean hasEnd = !rs.wasNull();
        PipelineRunRecord record = new PipelineRunRecord(
                rs.getString("pipeline_run_id"),
                rs.getString("pipeline_name"),
                rs.getString("tracking_run_id"),
                PipelineStatus.valueOf(rs.getString("status")),
                Optional.ofNullable(rs.getString("message")),
                Optional.ofNullable(rs.getString("failed_step")),
                params,
                rs.getString("owner"),
                rs.getLong("start_time"),
                hasEnd ? OptionalLong.of(end) : OptionalLong.empty(),
                steps.stream().map(StepState::record).toList());
        return new StoredRun(
                record,
                Path.of(rs.getString("project_dir")),
                rs.getString("spec_json"),
                rs.getString("options_json"),
                rs.getInt("cancel_requested") != 0);
    }

    private static StepState stepState(ResultSet rs) throws SQLException {
        Map<String, String> outputs = new LinkedHashMap<>();
        String outputsJson = rs.getString("outputs_json");
        Map<String, StoredOutput> stored = outputsJson == null ? Map.of() : storedOutputs(outputsJson);
        stored.forEach((name, out) -> outputs.put(name, out.sha256()));
        StepRunRecord record = new StepRunRecord(
                rs.getString("step_name"),
                StepStatus.valueOf(rs.getString("status")),
                Optional.ofNullable(rs.getString("cache_status")).map(CacheStatus::valueOf),
                Optional.ofNullable(rs.getString("cache_key")),
                Optional.ofNullable(rs.getString("tracking_run_id")),
                rs.getInt("attempts"),
                optionalInt(rs, "exit_code"),
                Optional.ofNullable(rs.getString("message")),
                outputs,
                optionalLong(rs, "start_seq"),
                optionalLong(rs, "end_seq"),
                optionalLong(rs, "start_time"),
                optionalLong(rs, "end_time"));
        return new StepState(
                record,
                stored,
                Optional.ofNullable(rs.getString("key_components")),
                Optional.ofNullable(rs.getString("log_dir")),
                Optional.ofNullable(rs.getString("stdout_sha256")),
                Optional.ofNullable(rs.getString("stderr_sha256")));
    }

    static Map<String, StoredOutput> storedOutputs(String json) {
        return fromJson(json, new TypeReference<LinkedHashMap<String, StoredOutput>>() {});
    }

    private static Optional<Integer> optionalInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private static OptionalLong optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt pipeline record: " + e.getOriginalMessage(), e);
        }
    }
}
