package dev.cairn.tracking;

import dev.cairn.core.CairnException;
import dev.cairn.core.Page;
import dev.cairn.lineage.DatasetInputEdges;
import dev.cairn.lineage.LineageStore;
import dev.cairn.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/** {@link TrackingStore} on a {@link Database}: SQLite or PostgreSQL, with MLflow's semantics. */
final class JdbcTrackingStore implements TrackingStore {
    private static final String ARTIFACT_SCHEME = "mlflow-artifacts:/";

    private final Database db;

    JdbcTrackingStore(Database db) {
        this.db = db;
    }

    static CairnException runNotFound(String runId) {
        return CairnException.notFound("Run with id=" + runId + " not found");
    }

    private static CairnException experimentNotFound(Object experimentId) {
        return CairnException.notFound("No Experiment with id=" + experimentId + " exists");
    }

    // ---- experiments

    @Override
    public String createExperiment(String name, Optional<String> artifactLocation, List<Tag> tags) {
        Validation.experimentName(name);
        tags.forEach(Validation::experimentTag);
        // Artifacts live only where the server puts them (content-addressed, under the run's
        // server-generated root): a client-chosen location would make runs report an artifact_uri
        // the server never writes to, which is how MLflow's artifact CVEs began.
        artifactLocation.filter(location -> !location.isEmpty()).ifPresent(location -> {
            throw CairnException.invalid("artifact_location is assigned by the server ("
                    + ARTIFACT_SCHEME + "<experiment_id>) and cannot be set by a client. Given: '"
                    + location + "'");
        });
        long id = db.write(h -> {
            requireNameFree(h, name);
            long now = System.currentTimeMillis();
            long created = h.createUpdate("INSERT INTO experiments (name, artifact_location, lifecycle_stage,"
                            + " creation_time, last_update_time) VALUES (?, ?, 'active', ?, ?)")
                    .bind(0, name)
                    .bind(1, "")
                    .bind(2, now)
                    .bind(3, now)
                    .executeAndReturnGeneratedKeys("experiment_id")
                    .mapTo(Long.class)
                    .one();
            h.execute(
                    "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
                    ARTIFACT_SCHEME + created,
                    created);
            upsertExperimentTags(h, created, tags);
            return created;
        });
        return Long.toString(id);
    }

    private static void requireNameFree(Handle h, String name) {
        boolean taken = h.createQuery("SELECT COUNT(*) FROM experiments WHERE name = ?")
                        .bind(0, name)
                        .mapTo(Integer.class)
                        .one()
                > 0;
        if (taken) {
            throw CairnException.alreadyExists("Experiment(name=" + name + ") already exists.");
        }
    }

    private static void upsertExperimentTags(Handle h, long experimentId, List<Tag> tags) {
        Map<String, String> byKey = new LinkedHashMap<>();
        tags.forEach(tag -> byKey.put(tag.key(), tag.value()));
        byKey.forEach((key, value) -> h.execute(
                "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
                experimentId,
                key,
                value));
    }

    @Override
    public Experiment getExperiment(String experimentId) {
        long id = Validation.experimentId(experimentId);
        return db.jdbi()
                .withHandle(h -> findExperiment(h, "e.experiment_id = ?", id))
                .orElseThrow(() -> experimentNotFound(experimentId));
    }

    @Override
    public Optional<Experiment> findExperimentByName(String name) {
        CairnException.requireArgument(name != null && !name.isEmpty(), "Experiment name must be provided");
        return db.jdbi().withHandle(h -> findExperiment(h, "e.name = ?", name));
    }

    private static Optional<Experiment> findExperiment(Handle h, String condition, Object value) {
        List<Experiment> found = withTags(
                h,
                h.createQuery("SELECT " + ExperimentSearchQuery.EXPERIMENT_COLUMNS + " FROM experiments e WHERE "
                                + condition)
                        .bind(0, value)
                        .map((rs, ctx) -> experimentRow(rs))
                        .list());
        return found.stream().findFirst();
    }

    private static Experiment experimentRow(ResultSet rs) throws SQLException {
        return new Experiment(
                Long.toString(rs.getLong(1)),
                rs.getString(2),
                rs.getString(3),
                RunLoader.stage(rs.getString(4)),
                rs.getLong(5),
                rs.getLong(6),
                List.of());
    }

    /** Adds their tags to experiments read without them, in one query. */
    private static List<Experiment> withTags(Handle h, List<Experiment> experiments) {
        if (experiments.isEmpty()) {
            return experiments;
        }
        Map<String, List<Tag>> tags = new HashMap<>();
        new BoundSql()
                .append("SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN ")
                .appendList(experiments.stream()
                        .map(e -> Long.parseLong(e.experimentId()))
                        .toList())
                .append(" ORDER BY experiment_id, key")
                .query(h)
                .map((rs, ctx) -> tags.computeIfAbsent(Long.toString(rs.getLong(1)), k -> new ArrayList<>())
                        .add(new Tag(rs.getString(2), rs.getString(3))))
                .list();
        return experiments.stream()
                .map(e -> new Experiment(
                        e.experimentId(),
                        e.name(),
                        e.artifactLocation(),
                        e.lifecycleStage(),
                        e.creationTime(),
                        e.lastUpdateTime(),
                        tags.getOrDefault(e.experimentId(), List.of())))
                .toList();
    }

    @Override
    public Page<Experiment> searchExperiments(ExperimentSearch search) {
        int limit = PageToken.maxResults(search.maxResults(), ExperimentSearch.MAX_RESULTS_LIMIT);
        int offset = PageToken.decode(search.pageToken());
        List<SearchFilter.Comparison> filter = SearchFilter.parse(search.filter(), SearchFilter.Target.EXPERIMENTS);
        List<SearchFilter.OrderBy> orderBy = search.orderBy().stream()
                .map(clause -> SearchFilter.parseOrderBy(clause, SearchFilter.Target.EXPERIMENTS))
                .toList();
        BoundSql sql = ExperimentSearchQuery.compile(
                db.dialect(), viewType(search.viewType()), filter, orderBy, offset, limit);
        return db.jdbi().withHandle(h -> {
            List<Experiment> rows =
                    sql.query(h).map((rs, ctx) -> experimentRow(rs)).list();
            return page(withTags(h, rows.subList(0, Math.min(limit, rows.size()))), rows.size() > limit, offset);
        });
    }

    private static ViewType viewType(ViewType viewType) {
        return viewType == null ? ViewType.ACTIVE_ONLY : viewType;
    }

    private static <T> Page<T> page(List<T> items, boolean more, int offset) {
        return new Page<>(items, more ? Optional.of(PageToken.encode((long) offset + items.size())) : Optional.empty());
    }

    @Override
    public void renameExperiment(String experimentId, String newName) {
        long id = Validation.experimentId(experimentId);
        Validation.experimentName(newName);
        db.write(h -> {
            String stage = experimentStage(h, id, experimentId);
            CairnException.requireArgument("active".equals(stage), "Cannot rename a non-active experiment.");
            String current = h.createQuery("SELECT name FROM experiments WHERE experiment_id = ?")
                    .bind(0, id)
                    .mapTo(String.class)
                    .one();
            if (!current.equals(newName)) {
                requireNameFree(h, newName);
            }
            return h.execute(
                    "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                    newName,
                    System.currentTimeMillis(),
                    id);
        });
    }

    private static String experimentStage(Handle h, long id, String experimentId) {
        return h.createQuery("SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?")
                .bind(0, id)
                .mapTo(String.class)
                .findOne()
                .orElseThrow(() -> experimentNotFound(experimentId));
    }

    @Override
    public void deleteExperiment(String experimentId) {
        setExperimentStage(experimentId, "active", "deleted");
    }

    @Override
    public void restoreExperiment(String experimentId) {
        setExperimentStage(experimentId, "deleted", "active");
    }

    /** Moves an experiment and its runs between stages, as MLflow's delete and restore do. */
    private void setExperimentStage(String experimentId, String from, String to) {
        long id = Validation.experimentId(experimentId);
        db.write(h -> {
            String stage = experimentStage(h, id, experimentId);
            if (!from.equals(stage)) {
                throw experimentNotFound(experimentId);
            }
            long now = System.currentTimeMillis();
            h.execute(
                    "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?",
                    to,
                    now,
                    id);
            Long deletedTime = to.equals("deleted") ? now : null;
            h.createUpdate("UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ?"
                            + " AND lifecycle_stage = ?")
                    .bind(0, to)
                    .bindByType(1, deletedTime, Long.class)
                    .bind(2, id)
                    .bind(3, from)
                    .execute();
            return null;
        });
    }

    @Override
    public void setExperimentTag(String experimentId, Tag tag) {
        long id = Validation.experimentId(experimentId);
        Validation.experimentTag(tag);
        db.write(h -> {
            String stage = experimentStage(h, id, experimentId);
            CairnException.requireArgument(
                    "active".equals(stage),
                    "The experiment " + experimentId + " must be in the 'active' state. Current state is " + stage
                            + ".");
            upsertExperimentTags(h, id, List.of(tag));
            h.execute(
                    "UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?",
                    System.currentTimeMillis(),
                    id);
            return null;
        });
    }

    // ---- runs

    @Override
    public Run createRun(NewRun run) {
        long experimentId = Validation.experimentId(run.experimentId());
        run.tags().forEach(Validation::tag);
        String name = runName(run);
        Validation.runName(name);
        String runId = UUID.randomUUID().toString().replace("-", "");
        List<Tag> tags = new ArrayList<>(run.tags());
        tags.removeIf(tag -> tag.key().equals(RunLogWriter.RUN_NAME_TAG));
        tags.add(new Tag(RunLogWriter.RUN_NAME_TAG, name));
        return db.write(h -> {
            Map<String, Object> experiment = h.createQuery(
                            "SELECT artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = ?")
                    .bind(0, experimentId)
                    .mapToMap()
                    .findOne()
                    .orElseThrow(() -> experimentNotFound(run.experimentId()));
            CairnException.requireArgument(
                    "active".equals(experiment.get("lifecycle_stage")),
                    "The experiment " + experimentId + " must be in the 'active' state. Current state is "
                            + experiment.get("lifecycle_stage") + ".");
            String artifactUri = experiment.get("artifact_location") + "/" + runId + "/artifacts";
            h.execute(
                    "INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri,"
                            + " lifecycle_stage) VALUES (?, ?, ?, ?, ?, ?, ?, 'active')",
                    runId,
                    experimentId,
                    name,
                    Validation.nullToEmpty(run.userId()),
                    RunStatus.RUNNING.name(),
                    run.startTime(),
                    artifactUri);
            RunLogWriter.writeTags(h, runId, tags);
            return RunLoader.load(
                            h, db.dialect(), List.of(RunLoader.info(h, runId).orElseThrow()))
                    .get(0);
        });
    }

    /** The run name: given, or from the {@code mlflow.runName} tag (they must agree), or generated. */
    private static String runName(NewRun run) {
        Optional<String> fromTag = run.tags().stream()
                .filter(tag -> tag.key().equals(RunLogWriter.RUN_NAME_TAG))
                .map(Tag::value)
                .reduce((first, second) -> second);
        Optional<String> given = run.runName().filter(n -> !n.isEmpty());
        if (given.isPresent() && fromTag.isPresent() && !given.get().equals(fromTag.get())) {
            throw CairnException.invalid("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with"
                    + " different values (run_name='" + given.get() + "', mlflow.runName='" + fromTag.get() + "').");
        }
        return given.or(() -> fromTag.filter(n -> !n.isEmpty())).orElseGet(RunNames::generate);
    }

    @Override
    public Run getRun(String runId) {
        Validation.runId(runId);
        return db.jdbi().withHandle(h -> RunLoader.one(h, db.dialect(), runId)).orElseThrow(() -> runNotFound(runId));
    }

    @Override
    public RunInfo updateRun(String runId, RunUpdate update) {
        Validation.runId(runId);
        update.runName().ifPresent(Validation::runName);
        return db.write(h -> {
            RunLogWriter.requireActiveRun(h, runId);
            update.status()
                    .ifPresent(
                            status -> h.execute("UPDATE runs SET status = ? WHERE run_uuid = ?", status.name(), runId));
            if (update.endTime().isPresent()) {
                h.execute(
                        "UPDATE runs SET end_time = ? WHERE run_uuid = ?",
                        update.endTime().getAsLong(),
                        runId);
            }
            update.runName().filter(n -> !n.isEmpty()).ifPresent(name -> {
                h.execute("UPDATE runs SET name = ? WHERE run_uuid = ?", name, runId);
                RunLogWriter.writeTags(h, runId, List.of(new Tag(RunLogWriter.RUN_NAME_TAG, name)));
            });
            return RunLoader.info(h, runId).orElseThrow();
        });
    }

    @Override
    public void deleteRun(String runId) {
        Validation.runId(runId);
        setRunStage(runId, "deleted", System.currentTimeMillis());
    }

    @Override
    public void restoreRun(String runId) {
        Validation.runId(runId);
        setRunStage(runId, "active", null);
    }

    private void setRunStage(String runId, String stage, Long deletedTime) {
        db.write(h -> {
            int changed = h.createUpdate("UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_uuid = ?")
                    .bind(0, stage)
                    .bindByType(1, deletedTime, Long.class)
                    .bind(2, runId)
                    .execute();
            if (changed == 0) {
                throw runNotFound(runId);
            }
            return null;
        });
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        Validation.runId(runId);
        Validation.batch(metrics, params, tags);
        db.write(h -> {
            RunLogWriter.logBatch(h, runId, metrics, params, tags);
            return null;
        });
    }

    @Override
    public void deleteTag(String runId, String key) {
        Validation.runId(runId);
        CairnException.requireArgument(key != null && !key.isEmpty(), "Tag key must be provided");
        db.write(h -> {
            RunLogWriter.requireActiveRun(h, runId);
            int deleted = h.execute("DELETE FROM tags WHERE run_uuid = ? AND key = ?", runId, key);
            if (deleted == 0) {
                throw CairnException.notFound("No tag with name: " + key + " in run with id " + runId);
            }
            return null;
        });
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        Validation.runId(runId);
        Validation.inputs(inputs);
        db.write(h -> {
            RunLogWriter.logInputs(h, runId, inputs);
            LineageStore.recordIn(h, DatasetInputEdges.consumedBy(runId, inputs));
            return null;
        });
    }

    // ---- metric history

    @Override
    public Page<Metric> metricHistory(String runId, String key, int maxResults, Optional<String> pageToken) {
        Validation.runId(runId);
        CairnException.requireArgument(key != null && !key.isEmpty(), "Metric key must be provided");
        int limit = PageToken.maxResults(maxResults, Integer.MAX_VALUE - 1);
        int offset = PageToken.decode(pageToken);
        return db.jdbi().withHandle(h -> {
            requireRun(h, runId);
            List<Metric> rows = h.createQuery("SELECT key, value, is_nan, ts, step FROM metrics"
                            + " WHERE run_uuid = ? AND key = ? ORDER BY step, ts, value LIMIT ? OFFSET ?")
                    .bind(0, runId)
                    .bind(1, key)
                    .bind(2, limit + 1)
                    .bind(3, offset)
                    .map((rs, ctx) -> MetricRows.metric(rs, 1))
                    .list();
            return page(rows.subList(0, Math.min(limit, rows.size())), rows.size() > limit, offset);
        });
    }

    @Override
    public void streamMetricHistory(String runId, String key, Consumer<Metric> sink) {
        Validation.runId(runId);
        CairnException.requireArgument(key != null && !key.isEmpty(), "Metric key must be provided");
        db.jdbi().useHandle(h -> {
            requireRun(h, runId);
            h.createQuery("SELECT key, value, is_nan, ts, step FROM metrics WHERE run_uuid = ? AND key = ?"
                            + " ORDER BY step, ts, value")
                    .bind(0, runId)
                    .bind(1, key)
                    .setFetchSize(1000)
                    .map((rs, ctx) -> MetricRows.metric(rs, 1))
                    .forEach(sink);
        });
    }

    private static void requireRun(Handle h, String runId) {
        boolean exists = h.createQuery("SELECT COUNT(*) FROM runs WHERE run_uuid = ?")
                        .bind(0, runId)
                        .mapTo(Integer.class)
                        .one()
                > 0;
        if (!exists) {
            throw runNotFound(runId);
        }
    }

    // ---- search

    @Override
    public Page<Run> searchRuns(RunSearch search) {
        int limit = PageToken.maxResults(search.maxResults(), RunSearch.MAX_RESULTS_LIMIT);
        int offset = PageToken.decode(search.pageToken());
        List<Long> experimentIds =
                search.experimentIds().stream().map(Validation::experimentId).toList();
        if (experimentIds.isEmpty()) {
            return Page.last(List.of());
        }
        List<SearchFilter.Comparison> filter = SearchFilter.parse(search.filter(), SearchFilter.Target.RUNS);
        List<SearchFilter.OrderBy> orderBy = search.orderBy().stream()
                .map(clause -> SearchFilter.parseOrderBy(clause, SearchFilter.Target.RUNS))
                .toList();
        BoundSql sql = RunSearchQuery.compile(
                db.dialect(), experimentIds, viewType(search.viewType()), filter, orderBy, offset, limit);
        return db.jdbi().withHandle(h -> {
            List<RunInfo> infos = sql.list(h, RunLoader::mapInfo);
            List<RunInfo> pageInfos = infos.subList(0, Math.min(limit, infos.size()));
            return page(RunLoader.load(h, db.dialect(), pageInfos), infos.size() > limit, offset);
        });
    }
}
