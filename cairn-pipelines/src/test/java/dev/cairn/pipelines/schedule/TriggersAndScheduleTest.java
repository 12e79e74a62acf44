package dev.cairn.pipelines.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.PipelineStatus;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggersAndScheduleTest {
    @TempDir
    Path root;

    Database db;
    TrackingStore tracking;
    PipelineEngine engine;
    ExecutorService executor = Executors.newSingleThreadExecutor();
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.sqlite(Files.createDirectories(root.resolve("store")));
        tracking = TrackingStore.on(db);
        engine = PipelineEngine.builder(db, tracking, BlobStore.local(root.resolve("blobs")))
                .logRoot(root.resolve("logs"))
                .build();
        project = Files.createDirectories(root.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        engine.close();
        db.close();
    }

    private Pipeline pipeline(String name, String extra) {
        return Pipeline.parse("""
                name: %s
                %s
                steps:
                  s: {command: "echo ran >> %s.count"}
                """.formatted(name, extra, name), project, "cairn.yaml");
    }

    private static PipelineRunRecord done(CompletableFuture<PipelineRunRecord> run) throws Exception {
        return run.get(60, TimeUnit.SECONDS);
    }

    private String triggerTag(PipelineRunRecord r) {
        return tracking.getRun(r.trackingRunId()).tags().stream()
                .filter(t -> t.key().equals("cairn.trigger"))
                .map(Tag::value)
                .findFirst()
                .orElse("");
    }

    @Test
    void eventsStartThePipelinesThatListThem() throws Exception {
        PipelineTriggers triggers = new PipelineTriggers(engine, executor);
        triggers.register(pipeline("retrain", "triggers: {datasets: [flights], alerts: [flights-drift]}"));
        triggers.register(pipeline("report", "triggers: {models: [delay]}"));

        List<CompletableFuture<PipelineRunRecord>> byDataset =
                triggers.fire(new TriggerEvent.DatasetVersion("flights", "3"));
        assertThat(byDataset).hasSize(1);
        PipelineRunRecord run = done(byDataset.get(0));
        assertThat(run.pipelineName()).isEqualTo("retrain");
        assertThat(run.status()).isEqualTo(PipelineStatus.SUCCEEDED);
        assertThat(triggerTag(run)).isEqualTo("dataset:flights@3");

        PipelineRunRecord byAlert = done(triggers.fire(new TriggerEvent.MonitorAlert("flights-drift", "psi>0.2"))
                .get(0));
        assertThat(triggerTag(byAlert)).isEqualTo("alert:flights-drift:psi>0.2");
        PipelineRunRecord byModel =
                done(triggers.fire(new TriggerEvent.ModelVersion("delay", "7")).get(0));
        assertThat(byModel.pipelineName()).isEqualTo("report");

        assertThat(triggers.fire(new TriggerEvent.DatasetVersion("weather", "1")))
                .isEmpty();
    }

    @Test
    void schedulesStartPipelinesWhenDue() throws Exception {
        Instant start = Instant.parse("2026-01-01T10:15:00Z");
        PipelineScheduler scheduler = new PipelineScheduler(engine, executor, Clock.fixed(start, ZoneOffset.UTC));
        scheduler.register(pipeline("hourly", "schedule: \"0 * * * *\""));

        ZonedDateTime next = scheduler.next("hourly").orElseThrow();
        assertThat(next.toInstant()).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
        assertThat(scheduler.runDue(next.minusMinutes(1))).isEmpty();

        List<CompletableFuture<PipelineRunRecord>> due = scheduler.runDue(next);
        assertThat(due).hasSize(1);
        PipelineRunRecord run = done(due.get(0));
        assertThat(run.status()).isEqualTo(PipelineStatus.SUCCEEDED);
        assertThat(triggerTag(run)).isEqualTo("schedule:0 * * * *@2026-01-01T11:00:00Z");
        assertThat(scheduler.next("hourly").orElseThrow().toInstant()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
        scheduler.close();
    }
}
