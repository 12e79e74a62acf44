package dev.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads MLflow REST JSON into the SDK's records. Lenient on purpose: absent fields take MLflow's
 * proto defaults, and 64-bit numbers are accepted both as JSON numbers and as strings.
 */
final class MlflowJson {
    private MlflowJson() {}

    static Run run(JsonNode run) {
        JsonNode data = run.path("data");
        Map<String, Metric> metrics = new HashMap<>();
        for (JsonNode metric : data.path("metrics")) {
            Metric point = metric(metric);
            metrics.put(point.key(), point);
        }
        return new Run(
                runInfo(run.path("info")), keyValues(data.path("params")), metrics, keyValues(data.path("tags")));
    }

    static RunInfo runInfo(JsonNode info) {
        String runId = info.path("run_id").asText("");
        return new RunInfo(
                runId.isEmpty() ? info.path("run_uuid").asText("") : runId,
                info.path("run_name").asText(""),
                info.path("experiment_id").asText(""),
                info.path("user_id").asText(""),
                status(info.path("status").asText("RUNNING")),
                info.path("start_time").asLong(0),
                info.path("end_time").asLong(0),
                info.path("artifact_uri").asText(""),
                info.path("lifecycle_stage").asText("active"));
    }

    static Metric metric(JsonNode metric) {
        return new Metric(
                metric.path("key").asText(""),
                metric.path("value").asDouble(Double.NaN),
                metric.path("timestamp").asLong(0),
                metric.path("step").asLong(0));
    }

    static ExperimentInfo experiment(JsonNode experiment) {
        return new ExperimentInfo(
                experiment.path("experiment_id").asText(""),
                experiment.path("name").asText(""),
                experiment.path("artifact_location").asText(""),
                experiment.path("lifecycle_stage").asText("active"),
                experiment.path("creation_time").asLong(0),
                experiment.path("last_update_time").asLong(0),
                keyValues(experiment.path("tags")));
    }

    static ArtifactFile artifactFile(JsonNode file) {
        return new ArtifactFile(
                file.path("path").asText(""),
                file.path("is_dir").asBoolean(false),
                file.path("file_size").asLong(0));
    }

    private static Map<String, String> keyValues(JsonNode list) {
        Map<String, String> values = new HashMap<>();
        for (JsonNode entry : list) {
            values.put(entry.path("key").asText(""), entry.path("value").asText(""));
        }
        return values;
    }

    private static RunStatus status(String name) {
        try {
            return RunStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new CairnClientException("INTERNAL_ERROR", 0, "server reported an unknown run status '" + name + "'");
        }
    }
}
