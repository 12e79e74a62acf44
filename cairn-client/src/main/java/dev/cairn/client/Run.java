package dev.cairn.client;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A run as the server reports it: its info, params, the latest value of each metric, and tags.
 * The maps are sorted by key.
 */
public record Run(RunInfo info, Map<String, String> params, Map<String, Metric> metrics, Map<String, String> tags) {
    public Run {
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
        metrics = Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    public String id() {
        return info.runId();
    }

    /** The parent run's id when this run is nested (the {@code mlflow.parentRunId} tag). */
    public Optional<String> parentRunId() {
        return Optional.ofNullable(tags.get(ActiveRun.PARENT_RUN_ID_TAG));
    }
}
