package dev.cairn.pipelines;

import java.util.List;

/**
 * The events that start a pipeline besides its schedule: a new version of one of these datasets,
 * an alert from one of these monitors, a new version of one of these registered models.
 */
public record Triggers(List<String> datasets, List<String> alerts, List<String> models) {
    public static final Triggers NONE = new Triggers(List.of(), List.of(), List.of());

    public Triggers {
        datasets = List.copyOf(datasets);
        alerts = List.copyOf(alerts);
        models = List.copyOf(models);
    }
}
