package dev.cairn.pipelines.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.PipelineStatus;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionWatchTest {
    @TempDir
    Path root;

    @Test
    void aNewDatasetVersionStartsThePipelinesThatListItOnceAndOnlyNewOnes() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        BlobStore blobs = BlobStore.local(root.resolve("blobs"));
        Path data = Files.createDirectories(root.resolve("data"));
        Files.writeString(data.resolve("flights.csv"), "delay\n5\n");
        try (Database db = TestDatabases.sqlite(Files.createDirectories(root.resolve("store")));
                PipelineEngine engine = PipelineEngine.builder(db, TrackingStore.on(db), blobs)
                        .logRoot(root.resolve("logs"))
                        .build()) {
            DatasetVersions datasets = new DatasetVersions(db, blobs);
            datasets.add(new DatasetVersions.AddRequest(data, "flights", "before the watch"));
            PipelineTriggers triggers = new PipelineTriggers(engine, executor);
            triggers.register(Pipeline.parse("""
                    name: refresh
                    triggers: {datasets: [flights]}
                    steps:
                      count: {command: "echo run >> runs.txt"}
                    """, Files.createDirectories(root.resolve("project")), "cairn.yaml"));
            VersionWatch watch = new VersionWatch(db, triggers);

            assertThat(watch.check())
                    .as("versions that existed at start do not fire")
                    .isEmpty();
            Files.writeString(data.resolve("flights.csv"), "delay\n5\n7\n");
            datasets.add(new DatasetVersions.AddRequest(data, "flights", "new rows"));
            List<CompletableFuture<PipelineRunRecord>> started = watch.check();

            assertThat(started).hasSize(1);
            PipelineRunRecord run = started.get(0).get(60, TimeUnit.SECONDS);
            assertThat(run.status()).isEqualTo(PipelineStatus.SUCCEEDED);
            assertThat(watch.check()).isEmpty();
            assertThat(LineageStore.of(db)
                            .traverse(LineageUri.dataset("flights", 2), Direction.DOWN, 1)
                            .edges())
                    .extracting(LineageEdge::type, LineageEdge::target)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            EdgeType.TRIGGERED_BY, LineageUri.run(run.trackingRunId())));
            watch.close();
        } finally {
            executor.shutdownNow();
        }
    }
}
