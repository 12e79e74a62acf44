package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SDK end to end against a real server with a SQLite store. */
@Timeout(120)
class CairnSdkTest {
    @TempDir
    static Path home;

    static ServerFixture server;
    static Cairn cairn;

    @BeforeAll
    static void start() {
        server = ServerFixture.start(home);
        cairn = Cairn.connect(server.url());
    }

    @AfterAll
    static void stop() {
        cairn.close();
        server.close();
    }

    @Test
    void paramsMetricSeriesAndTagsReachTheServer() {
        Experiment experiment = cairn.experiment("sdk-roundtrip");
        String runId;
        try (ActiveRun run = experiment.startRun("baseline")) {
            runId = run.id();
            run.logParam("model", "tree").logParams(Map.of("max_depth", 6, "learning_rate", 0.1));
            for (int step = 0; step < 10; step++) {
                run.logMetric("loss", 1.0 / (step + 1), step);
            }
            run.logMetric("accuracy", 0.93);
            run.setTag("team", "flights");
        }

        Run run = cairn.runs().get(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.info().runName()).isEqualTo("baseline");
        assertThat(run.info().endTime()).isGreaterThanOrEqualTo(run.info().startTime());
        assertThat(run.params())
                .containsExactlyInAnyOrderEntriesOf(Map.of("model", "tree", "max_depth", "6", "learning_rate", "0.1"));
        assertThat(run.tags()).containsEntry("team", "flights");
        assertThat(run.metrics().get("accuracy").value()).isEqualTo(0.93);
        assertThat(run.metrics().get("loss").step()).isEqualTo(9);

        List<Metric> history = cairn.runs().metricHistory(runId, "loss");
        assertThat(history).extracting(Metric::step).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(history)
                .extracting(Metric::value)
                .containsExactly(1.0, 1 / 2.0, 1 / 3.0, 1 / 4.0, 1 / 5.0, 1 / 6.0, 1 / 7.0, 1 / 8.0, 1 / 9.0, 1 / 10.0);
    }

    @Test
    void nonFiniteMetricValuesRoundTrip() {
        String runId;
        try (ActiveRun run = cairn.experiment("sdk-non-finite").startRun()) {
            runId = run.id();
            run.logMetric("x", Double.NaN, 0).logMetric("x", Double.POSITIVE_INFINITY, 1);
            run.logMetric("x", Double.NEGATIVE_INFINITY, 2);
        }
        assertThat(cairn.runs().metricHistory(runId, "x"))
                .extracting(Metric::value)
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    @Test
    void experimentIsCreatedOnceAndFoundAfterwards() {
        Experiment first = cairn.experiment("sdk-get-or-create");
        Experiment second = cairn.experiment("sdk-get-or-create");
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(cairn.experiments().list()).extracting(ExperimentInfo::name).contains("sdk-get-or-create");
    }

    @Test
    void nestedRunPointsToItsParent() {
        Experiment experiment = cairn.experiment("sdk-nested");
        String parentId;
        String childId;
        try (ActiveRun parent = experiment.startRun("sweep")) {
            parentId = parent.id();
            try (ActiveRun child = parent.startNestedRun("trial-1")) {
                childId = child.id();
                child.logMetric("loss", 0.5);
            }
        }
        Run child = cairn.runs().get(childId);
        assertThat(child.parentRunId()).contains(parentId);
        assertThat(child.info().experimentId()).isEqualTo(experiment.id());
        assertThat(experiment.searchRuns("tags.mlflow.parentRunId = '" + parentId + "'", "", 10))
                .extracting(Run::id)
                .containsExactly(childId);
    }

    @Test
    void artifactsRoundTripByteIdentical(@TempDir Path dir) throws IOException {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("weights v1.bin");
        Files.write(file, content);
        Path folder = Files.createDirectories(dir.resolve("report/plots"));
        Files.writeString(folder.resolve("roc.csv"), "fpr,tpr\n0,0\n1,1\n");

        String runId;
        try (ActiveRun run = cairn.experiment("sdk-artifacts").startRun()) {
            runId = run.id();
            run.logArtifact(file, "models/v1");
            run.logArtifacts(dir.resolve("report"), "report");
        }

        assertThat(cairn.runs().readArtifact(runId, "models/v1/weights v1.bin")).isEqualTo(content);
        Path downloaded = dir.resolve("downloaded.bin");
        cairn.runs().downloadArtifact(runId, "models/v1/weights v1.bin", downloaded);
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(content);
        assertThat(new String(cairn.runs().readArtifact(runId, "report/plots/roc.csv")))
                .startsWith("fpr,tpr");
        assertThat(cairn.runs().listArtifacts(runId, "models/v1"))
                .containsExactly(new ArtifactFile("models/v1/weights v1.bin", false, content.length));
    }

    @Test
    void runEndsFailedWhenItsBodyThrows() {
        Experiment experiment = cairn.experiment("sdk-failure");
        String[] runId = new String[1];
        assertThatThrownBy(() -> experiment.run("crashes", run -> {
                    runId[0] = run.id();
                    run.logMetric("loss", 0.7);
                    throw new IllegalStateException("training diverged");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("training diverged");

        Run run = cairn.runs().get(runId[0]);
        assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.metrics()).containsKey("loss");
    }

    @Test
    void runEndsFailedWhenMarkedFailed() {
        String runId;
        try (ActiveRun run = cairn.experiment("sdk-failure").startRun("caught")) {
            runId = run.id();
            try {
                throw new IllegalStateException("out of memory");
            } catch (IllegalStateException e) {
                run.fail();
            }
        }
        assertThat(cairn.runs().get(runId).info().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void refusedValueFailsTheNextFlushWithTheServersErrorCode() {
        ActiveRun run = cairn.experiment("sdk-refused").startRun();
        run.logParam("model", "tree");
        run.flush();
        run.logParam("model", "forest"); // params are write-once

        assertThatThrownBy(run::flush).isInstanceOfSatisfying(CairnClientException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).contains("model");
        });
        run.close();
        assertThat(cairn.runs().get(run.id()).info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(cairn.runs().get(run.id()).params()).containsEntry("model", "tree");
    }

    @Test
    void searchFiltersAndOrdersInMlflowGrammar() {
        Experiment experiment = cairn.experiment("sdk-search");
        for (double accuracy : new double[] {0.8, 0.95, 0.9}) {
            try (ActiveRun run = experiment.startRun("acc-" + accuracy)) {
                run.logMetric("acc", accuracy).logParam("model", accuracy > 0.85 ? "tree" : "linear");
            }
        }
        List<Run> found = experiment.searchRuns("metrics.acc > 0.85 and params.model = 'tree'", "metrics.acc DESC", 10);
        assertThat(found).extracting(r -> r.metrics().get("acc").value()).containsExactly(0.95, 0.9);

        List<Run> everywhere = cairn.runs().search("metrics.acc >= 0.95", "", 10);
        assertThat(everywhere).extracting(r -> r.info().runName()).contains("acc-0.95");
    }

    @Test
    void unknownRunIsReportedAsNotFound() {
        assertThatThrownBy(() -> cairn.runs().get("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(CairnClientException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(404);
                });
    }

    @Test
    void resumedRunKeepsEarlierValuesAndEndsAgain() {
        String runId;
        try (ActiveRun run = cairn.experiment("sdk-resume").startRun("step-1")) {
            runId = run.id();
            run.logMetric("loss", 0.9, 0);
        }
        try (ActiveRun resumed = cairn.resumeRun(runId)) {
            assertThat(cairn.runs().get(runId).info().status()).isEqualTo(RunStatus.RUNNING);
            resumed.logMetric("loss", 0.7, 1);
        }
        Run run = cairn.runs().get(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(cairn.runs().metricHistory(runId, "loss"))
                .extracting(Metric::step)
                .containsExactly(0L, 1L);
    }

    @Test
    void endedRunRefusesFurtherLogging() {
        ActiveRun run = cairn.experiment("sdk-ended").startRun();
        run.close();
        assertThatThrownBy(() -> run.logMetric("late", 1))
                .isInstanceOf(CairnClientException.class)
                .hasMessageContaining("has ended");
    }
}
