package dev.cairn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.lineage.LineageStore;
import dev.cairn.monitoring.MonitorResult;
import dev.cairn.monitoring.MonitorSpec;
import dev.cairn.monitoring.Monitors;
import dev.cairn.monitoring.ReferenceDatasets;
import dev.cairn.monitoring.alerts.Alert;
import dev.cairn.monitoring.alerts.StartPipeline;
import dev.cairn.monitoring.alerts.WebhookConfig;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.schedule.PipelineTriggers;
import dev.cairn.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The drift monitor on the demo's deployment: its windows over the inference log and the feedback,
 * and its alert rule, whose firing starts the retraining pipeline through {@link StartPipeline}.
 */
final class DriftWatch implements AutoCloseable {
    /** An alert fires when more than this share of the features drifted: any one of the six. */
    static final double ALERT_DRIFT_SHARE = 0.15;

    private final Monitors monitors;
    private final StartPipeline retraining;
    private int handled;

    private DriftWatch(Monitors monitors, StartPipeline retraining) {
        this.monitors = monitors;
        this.retraining = retraining;
    }

    /**
     * Monitors over {@code database} whose firing alerts start the pipelines of {@code triggers}, with
     * references to dataset versions read from {@code datasets}; no webhook host is allowed, so they
     * notify the log only.
     */
    static DriftWatch open(
            Database database, PipelineTriggers triggers, LineageStore lineage, ReferenceDatasets datasets) {
        StartPipeline retraining = new StartPipeline(triggers, lineage);
        Monitors monitors = Monitors.open(
                database, WebhookConfig.of(UUID.randomUUID().toString(), Set.of()), List.of(retraining), datasets);
        return new DriftWatch(monitors, retraining);
    }

    /** Creates the monitor over {@code reference} (a dataset version's URI) unless a previous demo in the same home did. */
    MonitorSpec watch(String reference) {
        Optional<MonitorSpec> existing = monitors.get(DemoStory.MONITOR);
        if (existing.isPresent()) {
            return existing.get();
        }
        ObjectNode spec = StepParts.object()
                .put("name", DemoStory.MONITOR)
                .put("deployment", DemoStory.MODEL)
                .put("reference", reference)
                .put("window_seconds", 3600)
                .put("schedule_seconds", 0)
                .put("task", "binary_classification")
                .put("threshold", 0.5)
                .put("retrain", true);
        ArrayNode features = spec.putArray("features");
        for (String f : Flights.Encoder.FEATURES) {
            features.add(f);
        }
        spec.putArray("rules")
                .addObject()
                .put("name", "feature-drift")
                .put("kind", "drift_share_above")
                .put("threshold", ALERT_DRIFT_SHARE);
        return monitors.create(MonitorSpec.fromJson(spec));
    }

    /** Runs the window ending now: drift against the reference, and quality where feedback arrived. */
    MonitorResult check() {
        return monitors.run(DemoStory.MONITOR, Instant.now());
    }

    List<Alert> alerts() {
        return monitors.alerts(DemoStory.MONITOR);
    }

    /** The retraining runs alerts started since the last call. */
    List<CompletableFuture<PipelineRunRecord>> newRetrainings() {
        List<CompletableFuture<PipelineRunRecord>> all = retraining.started();
        List<CompletableFuture<PipelineRunRecord>> fresh = new ArrayList<>(all.subList(handled, all.size()));
        handled = all.size();
        return fresh;
    }

    /** The drifted columns of a result, by name. */
    static List<String> drifted(MonitorResult result) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : result.columns()) {
            if (c.path("drifted").asBoolean()) {
                names.add(c.path("column").asText());
            }
        }
        return names;
    }

    @Override
    public void close() {
        monitors.close();
    }
}
