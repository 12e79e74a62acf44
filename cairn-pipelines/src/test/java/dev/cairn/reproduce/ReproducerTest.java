package dev.cairn.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.provenance.ProvenanceTags;
import dev.cairn.registry.NewModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.tracking.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reproduces real XGBoost training runs from their recorded code, data and parameters. */
@Timeout(600)
class ReproducerTest {
    @TempDir
    Path tmp;

    @Test
    void theExampleModelReproducesIdenticalEvenAfterANewDatasetVersion() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            p.addDataset(p.sampleDir("v1", 0));
            String runId = p.trainRun(p.pipeline("dataset:flights"));
            // The dataset moves on: a new version under the same name with one file changed.
            p.addDataset(p.sampleDir("v2", 500));
            RegistryStore.on(p.db, p.tracking).createRegisteredModel("delays", List.of(), "");
            RegistryStore.on(p.db, p.tracking)
                    .createModelVersion(NewModelVersion.of("delays", "runs:/" + runId + "/outputs/model"));

            Reproduction r = p.reproducer().reproduce("models:/delays/1", p.options());

            assertThat(r.verdict()).as("%s", r).isEqualTo(Reproduction.Verdict.IDENTICAL);
            assertThat(r.runId()).isEqualTo(runId);
            assertThat(r.causes()).isEmpty();
            // The package's manifest holds its creation time, so only its content hash can be equal.
            assertThat(r.artifacts()).anySatisfy(a -> {
                assertThat(a.path()).isEqualTo("outputs/model");
                assertThat(a.comparedBy()).isEqualTo("model-content-hash");
                assertThat(a.recorded()).matches("[0-9a-f]{64}").isEqualTo(a.reproduced());
            });
            assertThat(r.metrics()).singleElement().satisfies(m -> {
                assertThat(m.key()).isEqualTo("train_accuracy");
                assertThat(m.recorded()).isBetween(0.5, 1.0).isEqualTo(m.reproduced());
            });
            Map<String, String> reproducedTags = tags(p, r.reproducedRunIds().get(0));
            assertThat(reproducedTags.get(ProvenanceTags.GIT_COMMIT))
                    .isEqualTo(tags(p, runId).get(ProvenanceTags.GIT_COMMIT));
            p.assertNothingLeftBehind();
        }
    }

    @Test
    void uncommittedTrainingCodeIsReproducedFromTheRecordedDiff() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            p.addDataset(p.sampleDir("v1", 0));
            Path train = p.project.resolve("Train.java");
            Files.writeString(train, FlightsProject.trainSource().replace("MAX_DEPTH = 4", "MAX_DEPTH = 2"));
            String runId = p.trainRun(p.pipeline("dataset:flights"));
            assertThat(tags(p, runId)).containsEntry(ProvenanceTags.GIT_DIRTY, "true");
            // The working tree moves on; the reproduction must still run the code the run ran.
            Files.writeString(train, FlightsProject.trainSource().replace("MAX_DEPTH = 4", "MAX_DEPTH = 6"));

            Reproduction r = p.reproducer().reproduce(runId, p.options());

            assertThat(r.verdict()).as("%s", r).isEqualTo(Reproduction.Verdict.IDENTICAL);
            p.assertNothingLeftBehind();
        }
    }

    @Test
    void aChangedInputFileGivesDifferentNamingThatFile() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            Path external = p.sampleDir("external", 0).resolve("flights.csv");
            String runId = p.trainRun(p.pipeline(external.toString()));
            List<String> lines = Files.readAllLines(external);
            Files.write(external, lines.subList(0, lines.size() - 1000));

            Reproduction r = p.reproducer().reproduce(runId, p.options());

            assertThat(r.verdict()).as("%s", r).isEqualTo(Reproduction.Verdict.DIFFERENT);
            assertThat(r.artifacts()).anySatisfy(a -> {
                assertThat(a.path()).isEqualTo("outputs/model");
                assertThat(a.equal()).isFalse();
            });
            assertThat(r.causes()).singleElement().satisfies(c -> {
                assertThat(c.kind()).isEqualTo("data");
                assertThat(c.detail()).contains("input 'data'").contains(external.toString());
            });
            p.assertNothingLeftBehind();
        }
    }

    @Test
    void aLooseToleranceMakesSlightlyDifferentMetricsEquivalent() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            Path external = p.sampleDir("external", 0).resolve("flights.csv");
            String runId = p.trainRun(p.pipeline(external.toString()));
            List<String> lines = Files.readAllLines(external);
            Files.write(external, lines.subList(0, lines.size() - 20));

            Reproduction r = p.reproducer().reproduce(runId, p.options().tolerance(0.05));

            assertThat(r.verdict()).as("%s", r).isEqualTo(Reproduction.Verdict.EQUIVALENT);
            assertThat(r.metrics()).singleElement().satisfies(m -> {
                assertThat(m.equal()).isFalse();
                assertThat(m.withinTolerance()).isTrue();
            });
            assertThat(r.causes()).extracting(Reproduction.Cause::kind).containsExactly("data");
        }
    }

    private static Map<String, String> tags(FlightsProject p, String runId) {
        return p.tracking.getRun(runId).tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }
}
