package dev.cairn.tracking;

import dev.cairn.core.Page;
import dev.cairn.store.Database;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Experiments, runs, parameters, metrics, tags and dataset inputs, with MLflow's semantics and
 * limits. Every method validates its input and throws {@link dev.cairn.core.CairnException} with
 * the matching error code; a write returns only after its transaction has committed.
 */
public interface TrackingStore {
    /** MLflow's limits, enforced by the store so that every transport gets them. */
    int MAX_PARAM_VALUE_LENGTH = 6000;

    int MAX_TAG_VALUE_LENGTH = 8000;
    int MAX_ENTITY_KEY_LENGTH = 250;
    int MAX_BATCH_METRICS = 1000;
    int MAX_BATCH_PARAMS_AND_TAGS = 100;
    int MAX_BATCH_TOTAL = 1000;

    /** The store on {@code database}, which must have been opened (and so migrated) by {@link Database#open}. */
    static TrackingStore on(Database database) {
        return new JdbcTrackingStore(database);
    }

    String createExperiment(String name, Optional<String> artifactLocation, List<Tag> tags);

    Experiment getExperiment(String experimentId);

    Optional<Experiment> findExperimentByName(String name);

    Page<Experiment> searchExperiments(ExperimentSearch search);

    void renameExperiment(String experimentId, String newName);

    void deleteExperiment(String experimentId);

    void restoreExperiment(String experimentId);

    void setExperimentTag(String experimentId, Tag tag);

    Run createRun(NewRun run);

    Run getRun(String runId);

    RunInfo updateRun(String runId, RunUpdate update);

    void deleteRun(String runId);

    void restoreRun(String runId);

    /** Logs metrics, params and tags atomically: all are committed or none. */
    void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags);

    void deleteTag(String runId, String key);

    void logInputs(String runId, List<DatasetInput> inputs);

    /** One page of a metric's history ordered by (step, timestamp, value). */
    Page<Metric> metricHistory(String runId, String key, int maxResults, Optional<String> pageToken);

    /** Streams a metric's whole history to {@code sink} while rows are read, ordered by (step, timestamp, value). */
    void streamMetricHistory(String runId, String key, Consumer<Metric> sink);

    Page<Run> searchRuns(RunSearch search);
}
