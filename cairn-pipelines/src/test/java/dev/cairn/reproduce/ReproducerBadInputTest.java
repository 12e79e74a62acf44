package dev.cairn.reproduce;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.VersionDetails;
import dev.cairn.provenance.Provenance;
import dev.cairn.tracking.NewRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run that cannot be reproduced fails with a message naming the missing record or file, and leaves nothing behind. */
@Timeout(300)
class ReproducerBadInputTest {
    @TempDir
    Path tmp;

    @Test
    void anUnknownRunIsNamed() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            assertThatThrownBy(() -> p.reproducer().reproduce("no-such-run", p.options()))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("no-such-run");
            assertThatThrownBy(() -> p.reproducer().reproduce("models:/nothing/1", p.options()))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("nothing");
        }
    }

    @Test
    void aRunWithoutProvenanceNamesTheMissingRecord() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            String experiment = p.tracking.createExperiment("manual", Optional.empty(), List.of());
            String runId = p.tracking
                    .createRun(new NewRun(experiment, "u", 1L, Optional.of("logged by hand"), List.of()))
                    .info()
                    .runId();

            assertThatThrownBy(() -> p.reproducer().reproduce(runId, p.options()))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining(runId)
                    .hasMessageContaining(Provenance.ARTIFACT_PATH);
            p.assertNothingLeftBehind();
        }
    }

    @Test
    void aRunOutsideGitHasNoRecordedCode() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            p.addDataset(p.sampleDir("v1", 0));
            Path plain = Files.createDirectories(tmp.resolve("not-in-git"));
            String runId = p.trainRun(p.countPipeline(plain));

            assertThatThrownBy(() -> p.reproducer().reproduce(runId, p.options()))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("run " + runId + " has no recorded code version")
                    .hasMessageContaining("not inside a git working tree");
            p.assertNothingLeftBehind();
        }
    }

    @Test
    void aRemovedDatasetVersionIsNamedAndTheWorktreeRemoved() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            p.addDataset(p.sampleDir("v1", 0));
            String runId = p.trainRun(p.countPipeline(p.project));
            DatasetVersion removed = p.datasets.remove("flights:1");

            assertThatThrownBy(() -> p.reproducer().reproduce(runId, p.options()))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("dataset version flights:" + removed.id())
                    .hasMessageContaining("input 'data'")
                    .hasMessageContaining("no longer exists");
            p.assertNothingLeftBehind();
        }
    }

    @Test
    void aCorruptedDatasetBlobNamesTheFile() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            p.addDataset(p.sampleDir("v1", 0));
            String runId = p.trainRun(p.countPipeline(p.project));
            VersionDetails details = p.datasets.show("flights:1");
            p.corruptBlob(details.manifest().files().get(0).sha256());

            assertThatThrownBy(() -> p.reproducer().reproduce(runId, p.options()))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("flights.csv")
                    .hasMessageContaining("corrupted");
            p.assertNothingLeftBehind();
        }
    }

    @Test
    void aCorruptedDiffRecordIsNamed() throws Exception {
        try (FlightsProject p = new FlightsProject(tmp)) {
            p.addDataset(p.sampleDir("v1", 0));
            Files.writeString(p.project.resolve("notes.txt"), "uncommitted\n");
            String runId = p.trainRun(p.countPipeline(p.project));
            String diffSha = p.tracking.getRun(runId).tags().stream()
                    .filter(t -> t.key().equals("cairn.source.git.diff_sha256"))
                    .findFirst()
                    .orElseThrow()
                    .value();
            p.corruptBlob(diffSha);

            assertThatThrownBy(() -> p.reproducer().reproduce(runId, p.options()))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining(Provenance.DIFF_ARTIFACT_PATH)
                    .hasMessageContaining(runId);
            p.assertNothingLeftBehind();
        }
    }
}
