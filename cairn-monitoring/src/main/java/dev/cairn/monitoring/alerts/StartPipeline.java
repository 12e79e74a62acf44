package dev.cairn.monitoring.alerts;

import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.schedule.PipelineTriggers;
import dev.cairn.pipelines.schedule.TriggerEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retraining: fires the pipelines' {@link TriggerEvent.MonitorAlert} hook, which starts every
 * pipeline whose {@code triggers.alerts} names the monitor, and records lineage
 * {@code monitors:/<name> triggered_by runs:/<run>} for each run it started.
 */
public final class StartPipeline implements AlertAction {
    private static final Logger LOG = LoggerFactory.getLogger(StartPipeline.class);

    private final PipelineTriggers triggers;
    private final LineageStore lineage;
    private final List<CompletableFuture<PipelineRunRecord>> started = new CopyOnWriteArrayList<>();

    public StartPipeline(PipelineTriggers triggers, LineageStore lineage) {
        this.triggers = triggers;
        this.lineage = lineage;
    }

    @Override
    public void onFiring(Alert alert, String deployment) {
        for (CompletableFuture<PipelineRunRecord> run :
                triggers.fire(new TriggerEvent.MonitorAlert(alert.monitor(), alert.rule()))) {
            started.add(run.thenApply(record -> {
                recordLineage(alert, deployment, record);
                return record;
            }));
        }
    }

    /** The runs started so far, with their lineage recorded once each completes. */
    public List<CompletableFuture<PipelineRunRecord>> started() {
        return List.copyOf(started);
    }

    private void recordLineage(Alert alert, String deployment, PipelineRunRecord record) {
        try {
            lineage.record(List.of(LineageEdge.of(
                            LineageUri.monitor(alert.monitor()),
                            EdgeType.TRIGGERED_BY,
                            LineageUri.run(record.trackingRunId()))
                    .withAttributes(Map.of(
                            "alert", alert.id(),
                            "rule", alert.rule(),
                            "deployment", deployment,
                            "pipeline", record.pipelineName(),
                            "pipeline_run", record.id()))));
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not record lineage of pipeline run {} triggered by monitor {}",
                    record.id(),
                    alert.monitor(),
                    e);
        }
    }
}
