package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.Cairn;
import dev.cairn.client.ExperimentInfo;
import dev.cairn.client.Run;
import dev.cairn.client.RunQuery;
import dev.cairn.demo.DemoStory;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.LineageNode;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn demo --exit} in-process on the committed flights sample, checked through the stores it leaves. */
@Timeout(600)
class DemoCommandTest {
    @Test
    void demoTrainsServesDetectsDriftAndPromotesARetrainedModel(@TempDir Path home) {
        CliResult result = CliResult.run("demo", "--exit", "--port", "0", "--home", home.toString());

        assertThat(result.exitCode()).as(result.err() + result.out()).isZero();
        assertThat(result.out()).contains("[1/9]", "[9/9]", "BLESSED", "DRIFT", "version 2 is the champion");

        List<Run> runs = runs(home);
        Run training = byName(runs, "train-months-1-3");
        Run retrain = byName(runs, "retrain-months-4-6");
        assertThat(training.tags()).containsEntry("cairn.blessing", "BLESSED");
        assertThat(training.params()).containsEntry("dataset", "flights:1").containsEntry("seed", "42");
        assertThat(training.metrics().get("holdout_auc").value()).isGreaterThan(0.55);
        assertThat(retrain.tags())
                .containsEntry("cairn.blessing", "BLESSED")
                .containsEntry("cairn.triggered_by", LineageUri.monitor(DemoStory.MONITOR));
        assertThat(retrain.params()).containsEntry("dataset", "flights:2");
        List<Run> replays = runs.stream()
                .filter(r -> r.info().runName().startsWith("replay-2001-"))
                .toList();
        assertThat(replays).hasSize(3);
        assertThat(replays).allSatisfy(r -> {
            assertThat(r.tags()).containsEntry("served_by_versions", "1");
            assertThat(r.metrics().get("served_flights").value()).isEqualTo(1000);
        });
        assertThat(replays)
                .anySatisfy(r ->
                        assertThat(r.metrics().get("dataset_drift").value()).isEqualTo(1));

        try (Database db = Database.open(
                StoreUrl.parse(ServerConfig.builder().home(home).build().storeUrl()))) {
            ModelVersion champion =
                    RegistryStore.on(db, TrackingStore.on(db)).getModelVersionByAlias(DemoStory.MODEL, "champion");
            assertThat(champion.version()).isEqualTo(2);
            assertThat(champion.runId()).isEqualTo(retrain.id());
            List<String> upstream =
                    LineageStore.of(db)
                            .traverse(LineageUri.model(DemoStory.MODEL, 2), Direction.UP, 10)
                            .nodes()
                            .stream()
                            .map(LineageNode::uri)
                            .toList();
            assertThat(upstream)
                    .contains(
                            LineageUri.run(retrain.id()),
                            LineageUri.dataset(DemoStory.DATASET, 2),
                            LineageUri.monitor(DemoStory.MONITOR));
        }
    }

    private static List<Run> runs(Path home) {
        try (CairnServer server = CairnServer.start(
                        ServerConfig.builder().home(home).port(0).build());
                Cairn cairn = Cairn.connect("http://127.0.0.1:" + server.port())) {
            ExperimentInfo demo = cairn.experiments().resolve(DemoStory.EXPERIMENT);
            return cairn.runs()
                    .search(RunQuery.builder().experimentId(demo.experimentId()).build());
        }
    }

    private static Run byName(List<Run> runs, String name) {
        return runs.stream()
                .filter(r -> r.info().runName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no run " + name + " among " + runs));
    }
}
