package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.Cairn;
import dev.cairn.client.ExperimentInfo;
import dev.cairn.client.Run;
import dev.cairn.client.RunQuery;
import dev.cairn.demo.DemoStory;
import dev.cairn.evaluation.Blessing;
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
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn demo --exit} in-process on the committed flights sample, checked through the stores it leaves. */
@Timeout(600)
class DemoCommandTest {
    @Test
    void demoClosesTheLoopFromDriftAlertToAPromotedRetrainedChampion(@TempDir Path home) {
        CliResult result = CliResult.run("demo", "--exit", "--port", "0", "--home", home.toString());

        assertThat(result.exitCode()).as(result.err() + result.out()).isZero();
        assertThat(result.out())
                .contains("[1/6]", "[6/6]", "BLESSED", "ALERT", "canary", "6 of 6 steps came from the step cache")
                .contains("version 2 is the champion");

        List<Run> runs = runs(home);
        Map<String, List<Run>> pipelineRuns = runs.stream()
                .filter(r -> r.parentRunId().isEmpty() && r.tags().containsKey("cairn.pipeline.name"))
                .collect(Collectors.groupingBy(r -> r.tags().getOrDefault("cairn.trigger", "demo")));
        // the first training, the retraining the alert started, and the re-run on unchanged data
        assertThat(pipelineRuns.values().stream().mapToInt(List::size).sum()).isEqualTo(3);
        Run retraining = pipelineRuns
                .get("alert:" + DemoStory.MONITOR + ":feature-drift")
                .get(0);
        List<Run> retrainSteps = children(runs, retraining);
        assertThat(retrainSteps)
                .extracting(r -> r.info().runName())
                .containsExactlyInAnyOrder("validate", "features", "train", "evaluate", "register", "deploy");
        assertThat(retrainSteps).allSatisfy(s -> assertThat(s.tags()).containsEntry("cairn.cache.status", "MISS"));
        Run again = pipelineRuns.get("alert:" + DemoStory.MONITOR + ":again").get(0);
        assertThat(children(runs, again)).hasSize(6).allSatisfy(s -> assertThat(s.tags())
                .containsEntry("cairn.cache.status", "HIT"));
        assertThat(step(retrainSteps, "features").params()).containsEntry("dataset", "flights:2");
        Run register = step(retrainSteps, "register");

        try (Database db = Database.open(
                StoreUrl.parse(ServerConfig.builder().home(home).build().storeUrl()))) {
            RegistryStore registry = RegistryStore.on(db, TrackingStore.on(db));
            ModelVersion champion = registry.getModelVersionByAlias(DemoStory.MODEL, "champion");
            assertThat(champion.version()).isEqualTo(2);
            assertThat(champion.runId()).isEqualTo(register.id());
            for (String version : List.of("1", "2")) {
                Map<String, String> tags = tags(registry.getModelVersion(DemoStory.MODEL, version));
                assertThat(tags).containsEntry(Blessing.TAG, "BLESSED").containsKey(Blessing.SUMMARY_TAG);
            }
            List<String> actions = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT action FROM deployment_history WHERE deployment = :name ORDER BY id")
                    .bind("name", DemoStory.MODEL)
                    .mapTo(String.class)
                    .list());
            assertThat(actions).containsSubsequence("CREATE", "SET_TRAFFIC", "AUTO_PROMOTE");
            List<String> upstream =
                    LineageStore.of(db)
                            .traverse(LineageUri.model(DemoStory.MODEL, 2), Direction.UP, 12)
                            .nodes()
                            .stream()
                            .map(LineageNode::uri)
                            .toList();
            assertThat(upstream)
                    .contains(
                            LineageUri.run(register.id()),
                            LineageUri.run(retraining.id()),
                            LineageUri.dataset(DemoStory.DATASET, 2),
                            LineageUri.monitor(DemoStory.MONITOR));
        }
    }

    private static Run step(List<Run> steps, String name) {
        return steps.stream()
                .filter(s -> s.info().runName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no step run " + name));
    }

    private static List<Run> children(List<Run> runs, Run parent) {
        return runs.stream()
                .filter(r -> r.parentRunId().filter(parent.id()::equals).isPresent())
                .toList();
    }

    private static Map<String, String> tags(ModelVersion version) {
        return version.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }

    private static List<Run> runs(Path home) {
        try (CairnServer server = CairnServer.start(
                        ServerConfig.builder().home(home).port(0).build());
                Cairn cairn = Cairn.connect("http://127.0.0.1:" + server.port())) {
            ExperimentInfo demo = cairn.experiments().resolve(DemoStory.EXPERIMENT);
            return cairn.runs()
                    .search(RunQuery.builder()
                            .experimentId(demo.experimentId())
                            .maxResults(1000)
                            .build());
        }
    }
}
