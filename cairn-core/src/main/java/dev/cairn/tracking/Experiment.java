package dev.cairn.tracking;

import java.util.List;

/** An experiment: a named group of runs with an artifact location. Ids are decimal strings, "0" is Default. */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        LifecycleStage lifecycleStage,
        long creationTime,
        long lastUpdateTime,
        List<Tag> tags) {
    public Experiment {
        tags = List.copyOf(tags);
    }
}
