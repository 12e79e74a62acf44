package dev.cairn.server.registry;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The request messages of MLflow's {@code model_registry.proto}, decoded straight from JSON or a
 * query string in proto field names. Fields are nullable boxes because absence is meaningful;
 * handlers turn them into Cairn's null-free values at once.
 */
final class RegistryRequests {
    private RegistryRequests() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyValue(String key, String value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateRegisteredModel(String name, List<KeyValue> tags, String description) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RenameRegisteredModel(String name, String newName) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateRegisteredModel(String name, String description) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ModelRef(String name) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Search(String filter, Long maxResults, List<String> orderBy, String pageToken) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record GetLatestVersions(String name, List<String> stages) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SetModelTag(String name, String key, String value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeleteModelTag(String name, String key) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateModelVersion(
            String name, String source, String runId, List<KeyValue> tags, String runLink, String description) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateModelVersion(String name, String version, String description) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VersionRef(String name, String version) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TransitionStage(String name, String version, String stage, Boolean archiveExistingVersions) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SetVersionTag(String name, String version, String key, String value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeleteVersionTag(String name, String version, String key) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SetAlias(String name, String alias, String version) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AliasRef(String name, String alias) {}
}
