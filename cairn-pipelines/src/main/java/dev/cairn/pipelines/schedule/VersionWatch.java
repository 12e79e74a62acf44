package dev.cairn.pipelines.schedule;

import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires {@link TriggerEvent.DatasetVersion} and {@link TriggerEvent.ModelVersion} for versions that
 * appear in the database, however they were made (REST, CLI, a pipeline step), by comparing each
 * dataset's and registered model's highest version number with the last one seen; versions that
 * existed when the watch started do not fire. Each run started is linked in lineage
 * {@code cairn-dataset:/NAME/N} or {@code models:/NAME/N} {@code triggered_by} the run.
 */
public final class VersionWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VersionWatch.class);

    private final Database database;
    private final PipelineTriggers triggers;
    private final Map<String, Integer> models = new ConcurrentHashMap<>();
    private final Map<String, Integer> datasets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pipeline-version-watch");
        t.setDaemon(true);
        return t;
    });

    public VersionWatch(Database database, PipelineTriggers triggers) {
        this.database = database;
        this.triggers = triggers;
        models.putAll(latest(MODELS));
        datasets.putAll(latest(DATASETS));
    }

    private static final String MODELS = "SELECT m.name AS name, MAX(v.version) AS latest FROM model_versions v"
            + " JOIN registered_models m ON m.model_id = v.model_id GROUP BY m.name";
    private static final String DATASETS =
            "SELECT dataset_name AS name, MAX(number) AS latest FROM dataset_versions GROUP BY dataset_name";

    /** Fires the triggers of every version new since the last check; returns the runs started. */
    public List<CompletableFuture<PipelineRunRecord>> check() {
        List<CompletableFuture<PipelineRunRecord>> started = new ArrayList<>();
        latest(DATASETS).forEach((name, number) -> {
            if (number > datasets.getOrDefault(name, 0)) {
                datasets.put(name, number);
                String node = LineageUri.dataset(name, number);
                fire(new TriggerEvent.DatasetVersion(name, Integer.toString(number)), node, started);
            }
        });
        latest(MODELS).forEach((name, version) -> {
            if (version > models.getOrDefault(name, 0)) {
                models.put(name, version);
                String node = LineageUri.model(name, version);
                fire(new TriggerEvent.ModelVersion(name, Integer.toString(version)), node, started);
            }
        });
        return started;
    }

    /** Checks every {@code tick} on a background thread until closed. */
    public void start(Duration tick) {
        ticker.scheduleWithFixedDelay(
                () -> {
                    try {
                        check();
                    } catch (RuntimeException e) {
                        LOG.warn("checking for new dataset and model versions failed", e);
                    }
                },
                tick.toMillis(),
                tick.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void fire(TriggerEvent event, String node, List<CompletableFuture<PipelineRunRecord>> started) {
        for (CompletableFuture<PipelineRunRecord> run : triggers.fire(event)) {
            started.add(run.thenApply(record -> {
                try {
                    LineageStore.of(database)
                            .record(List.of(
                                    LineageEdge.of(node, EdgeType.TRIGGERED_BY, LineageUri.run(record.trackingRunId()))
                                            .withAttributes(Map.of(
                                                    "trigger", event.describe(), "pipeline", record.pipelineName()))));
                } catch (RuntimeException e) {
                    LOG.warn("could not record that {} started pipeline run {}", event.describe(), record.id(), e);
                }
                return record;
            }));
        }
    }

    private Map<String, Integer> latest(String sql) {
        Map<String, Integer> out = new java.util.HashMap<>();
        database.jdbi().useHandle(h -> h.createQuery(sql)
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getInt("latest")))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
