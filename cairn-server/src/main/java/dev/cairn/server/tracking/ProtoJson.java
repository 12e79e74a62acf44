package dev.cairn.server.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cairn.tracking.DatasetInput;
import dev.cairn.tracking.Experiment;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.Param;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.RunInfo;
import dev.cairn.tracking.Tag;
import java.io.IOException;
import java.util.List;

/**
 * Writes tracking entities in the JSON shape of MLflow's protos, as MLflow's server emits them:
 * proto field names, int64 as numbers, enums by name, absent optional fields and empty lists
 * omitted.
 */
final class ProtoJson {
    private ProtoJson() {}

    static void experiment(JsonGenerator g, Experiment e) throws IOException {
        g.writeStartObject();
        g.writeStringField("experiment_id", e.experimentId());
        g.writeStringField("name", e.name());
        g.writeStringField("artifact_location", e.artifactLocation());
        g.writeStringField("lifecycle_stage", e.lifecycleStage().wireName());
        g.writeNumberField("last_update_time", e.lastUpdateTime());
        g.writeNumberField("creation_time", e.creationTime());
        tags(g, "tags", e.tags());
        g.writeEndObject();
    }

    static void runInfo(JsonGenerator g, RunInfo info) throws IOException {
        g.writeStartObject();
        g.writeStringField("run_id", info.runId());
        // Deprecated in MLflow but still read by older clients.
        g.writeStringField("run_uuid", info.runId());
        g.writeStringField("run_name", info.runName());
        g.writeStringField("experiment_id", info.experimentId());
        g.writeStringField("user_id", info.userId());
        g.writeStringField("status", info.status().name());
        g.writeNumberField("start_time", info.startTime());
        if (info.endTime().isPresent()) {
            g.writeNumberField("end_time", info.endTime().getAsLong());
        }
        g.writeStringField("artifact_uri", info.artifactUri());
        g.writeStringField("lifecycle_stage", info.lifecycleStage().wireName());
        g.writeEndObject();
    }

    static void run(JsonGenerator g, Run run) throws IOException {
        g.writeStartObject();
        g.writeFieldName("info");
        runInfo(g, run.info());
        g.writeObjectFieldStart("data");
        if (!run.latestMetrics().isEmpty()) {
            g.writeArrayFieldStart("metrics");
            for (Metric m : run.latestMetrics()) {
                metric(g, m);
            }
            g.writeEndArray();
        }
        if (!run.params().isEmpty()) {
            g.writeArrayFieldStart("params");
            for (Param p : run.params()) {
                keyValue(g, p.key(), p.value());
            }
            g.writeEndArray();
        }
        tags(g, "tags", run.tags());
        g.writeEndObject();
        g.writeObjectFieldStart("inputs");
        if (!run.inputs().isEmpty()) {
            g.writeArrayFieldStart("dataset_inputs");
            for (DatasetInput input : run.inputs()) {
                datasetInput(g, input);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    static void metric(JsonGenerator g, Metric m) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", m.key());
        g.writeNumberField("value", m.value());
        g.writeNumberField("timestamp", m.timestamp());
        g.writeNumberField("step", m.step());
        g.writeEndObject();
    }

    private static void datasetInput(JsonGenerator g, DatasetInput input) throws IOException {
        g.writeStartObject();
        tags(g, "tags", input.tags());
        DatasetInput.Dataset d = input.dataset();
        g.writeObjectFieldStart("dataset");
        g.writeStringField("name", d.name());
        g.writeStringField("digest", d.digest());
        g.writeStringField("source_type", d.sourceType());
        g.writeStringField("source", d.source());
        optionalString(g, "schema", d.schema());
        optionalString(g, "profile", d.profile());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void tags(JsonGenerator g, String field, List<Tag> tags) throws IOException {
        if (tags.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (Tag t : tags) {
            keyValue(g, t.key(), t.value());
        }
        g.writeEndArray();
    }

    private static void keyValue(JsonGenerator g, String key, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", key);
        g.writeStringField("value", value);
        g.writeEndObject();
    }

    private static void optionalString(JsonGenerator g, String field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(field, value);
        }
    }
}
