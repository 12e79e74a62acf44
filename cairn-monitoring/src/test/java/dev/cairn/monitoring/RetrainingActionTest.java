package dev.cairn.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageGraph;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.monitoring.alerts.StartPipeline;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.PipelineStatus;
import dev.cairn.pipelines.schedule.PipelineTriggers;
import dev.cairn.serving.InferenceLog;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainingActionTest {
    @TempDir
    Path root;

    @Test
    void aFiringDriftAlertStartsTheRetrainingPipelineAndRecordsTriggeredBy() throws Exception {
        List<MonitorsTest.Flight> flights = MonitorsTest.flights();
        Path reference = root.resolve("reference.csv");
        StringBuilder csv = new StringBuilder("delay,distance,origin\n");
        List<MonitorsTest.Flight> june = new ArrayList<>();
        for (MonitorsTest.Flight f : flights) {
            if (f.date().startsWith("2001-01")) {
                csv.append((long) f.delay())
                        .append(',')
                        .append((long) f.distance())
                        .append(',')
                        .append(f.origin())
                        .append('\n');
            } else if (f.date().startsWith("2001-06")) {
                june.add(f);
            }
        }
        Files.writeString(reference, csv);
        Path project = Files.createDirectories(root.resolve("project"));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Database db = TestDatabases.sqlite(Files.createDirectories(root.resolve("store")));
                PipelineEngine engine = PipelineEngine.builder(
                                db, TrackingStore.on(db), BlobStore.local(root.resolve("blobs")))
                        .logRoot(root.resolve("logs"))
                        .build()) {
            PipelineTriggers triggers = new PipelineTriggers(engine, executor);
            triggers.register(Pipeline.parse("""
                    name: retrain
                    triggers: {alerts: [delays-drift]}
                    steps:
                      train: {command: "echo trained >> trained.txt"}
                    """, project, "cairn.yaml"));
            StartPipeline retrain = new StartPipeline(triggers, LineageStore.of(db));
            try (InferenceLog log = InferenceLog.open(db, ServingConfig.defaults());
                    Monitors monitors = Monitors.open(
                            db,
                            dev.cairn.monitoring.alerts.WebhookConfig.of(MonitorsTest.SECRET, java.util.Set.of()),
                            List.of(retrain))) {
                MonitorsTest.write(log, "j", june, MonitorsTest.T0, 60, 1.5);
                log.flush(30_000);
                monitors.create(MonitorSpec.fromJson(new ObjectMapper().readTree("""
                        {"name": "delays-drift", "deployment": "delays", "reference": "%s",
                         "features": ["delay", "distance", "origin"], "window_seconds": 3600, "retrain": true,
                         "rules": [{"name": "drift", "kind": "drift_share_above", "threshold": 0.5}]}
                        """.formatted(reference))));

                monitors.run("delays-drift", MonitorsTest.T0.plus(MonitorsTest.HOUR));
                monitors.run("delays-drift", MonitorsTest.T0.plus(MonitorsTest.HOUR)); // still firing: no second start

                assertThat(retrain.started()).hasSize(1);
                PipelineRunRecord run = retrain.started().get(0).get(60, TimeUnit.SECONDS);
                assertThat(run.status()).isEqualTo(PipelineStatus.SUCCEEDED);
                LineageGraph graph =
                        LineageStore.of(db).traverse(LineageUri.monitor("delays-drift"), Direction.DOWN, 1);
                assertThat(graph.edges())
                        .extracting(LineageEdge::target)
                        .containsExactly(LineageUri.run(run.trackingRunId()));
                assertThat(graph.edges().get(0).attributes()).containsEntry("pipeline", "retrain");
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
