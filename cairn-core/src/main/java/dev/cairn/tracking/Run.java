package dev.cairn.tracking;

import java.util.List;

/**
 * A run with its data: latest value of each metric, parameters, tags, and the datasets it consumed.
 */
public record Run(
        RunInfo info, List<Metric> latestMetrics, List<Param> params, List<Tag> tags, List<DatasetInput> inputs) {
    public Run {
        latestMetrics = List.copyOf(latestMetrics);
        params = List.copyOf(params);
        tags = List.copyOf(tags);
        inputs = List.copyOf(inputs);
    }
}
