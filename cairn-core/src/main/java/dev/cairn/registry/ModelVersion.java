package dev.cairn.registry;

import dev.cairn.tracking.Tag;
import java.util.List;

/**
 * One version of a registered model (MLflow's {@code ModelVersion}): where its artifacts are
 * ({@code source} as given, {@code storageLocation} as resolved by the server), the run that made
 * it, its legacy stage, tags and aliases. Absent optional texts are empty strings.
 */
public record ModelVersion(
        String name,
        int version,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String userId,
        Stage currentStage,
        String description,
        String source,
        String runId,
        String runLink,
        String status,
        String storageLocation,
        List<Tag> tags,
        List<String> aliases) {
    /** MLflow's only status for versions whose artifacts are already stored. */
    public static final String READY = "READY";

    public ModelVersion {
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
