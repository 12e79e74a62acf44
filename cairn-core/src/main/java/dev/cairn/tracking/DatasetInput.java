package dev.cairn.tracking;

import java.util.List;

/**
 * A dataset a run consumed (MLflow's {@code DatasetInput}); datasets are deduplicated by
 * (experiment, name, digest).
 */
public record DatasetInput(Dataset dataset, List<Tag> tags) {
    public DatasetInput {
        tags = List.copyOf(tags);
    }

    /** MLflow's {@code Dataset}: schema, profile and source are opaque JSON strings, possibly empty. */
    public record Dataset(
            String name, String digest, String sourceType, String source, String schema, String profile) {}
}
