package dev.cairn.registry;

import dev.cairn.tracking.Tag;
import java.util.List;

/**
 * A registered model (MLflow's {@code RegisteredModel}): a unique name, a description, tags,
 * aliases and, in {@code latestVersions}, the newest version in each stage.
 */
public record RegisteredModel(
        String name,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String description,
        List<ModelVersion> latestVersions,
        List<Tag> tags,
        List<ModelAlias> aliases) {
    public RegisteredModel {
        latestVersions = List.copyOf(latestVersions);
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
