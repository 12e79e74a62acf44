package dev.cairn.server.tracking;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The request messages of MLflow's {@code service.proto}, decoded straight from JSON in proto field
 * names. Fields are nullable boxes here because absence is meaningful (a required field missing, an
 * optional one defaulted); handlers turn them into Cairn's null-free records at once.
 */
final class TrackingRequests {
    private TrackingRequests() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyValue(String key, String value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MetricValue(String key, Double value, Long timestamp, Long step) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DatasetValue(String name, String digest, String sourceType, String source, String schema, String profile) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DatasetInputValue(List<KeyValue> tags, DatasetValue dataset) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateExperiment(String name, String artifactLocation, List<KeyValue> tags) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ExperimentRef(String experimentId) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record GetExperimentByName(String experimentName) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SearchExperiments(Long maxResults, String pageToken, String filter, List<String> orderBy, String viewType) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateExperiment(String experimentId, String newName) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SetExperimentTag(String experimentId, String key, String value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateRun(String experimentId, String userId, String runName, Long startTime, List<KeyValue> tags) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateRun(String runId, String runUuid, String status, Long endTime, String runName) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RunRef(String runId, String runUuid) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LogMetric(String runId, String runUuid, String key, Double value, Long timestamp, Long step) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RunKeyValue(String runId, String runUuid, String key, String value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeleteTag(String runId, String key) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LogBatch(String runId, List<MetricValue> metrics, List<KeyValue> params, List<KeyValue> tags) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LogInputs(String runId, List<DatasetInputValue> datasets) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SearchRuns(
            List<String> experimentIds,
            String filter,
            String runViewType,
            Integer maxResults,
            List<String> orderBy,
            String pageToken) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record GetMetricHistory(String runId, String runUuid, String metricKey, String pageToken, Integer maxResults) {}
}
