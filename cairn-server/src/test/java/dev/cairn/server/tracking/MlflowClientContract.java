package dev.cairn.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.server.CairnServer;
import dev.cairn.server.TestServers;
import dev.cairn.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;

/**
 * MLflow's own Java client ({@code org.mlflow:mlflow-client}) driving a running Cairn server
 * through every tracking call it offers; one subclass per database kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MlflowClientContract {
    @TempDir
    static Path home;

    private CairnServer server;
    private MlflowClient client;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        server = TestServers.start(kind(), home);
        client = new MlflowClient(TestServers.baseUrl(server));
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void experimentLifecycle() {
        String name = unique("flights");
        String id = client.createExperiment(name);

        Experiment created = client.getExperiment(id);
        assertThat(created.getName()).isEqualTo(name);
        assertThat(created.getLifecycleStage()).isEqualTo("active");
        assertThat(created.getCreationTime()).isPositive();
        assertThat(client.getExperimentByName(name))
                .map(Experiment::getExperimentId)
                .contains(id);
        assertThat(client.getExperimentByName(unique("missing"))).isEmpty();

        client.setExperimentTag(id, "team", "ops");
        assertThat(client.getExperiment(id).getTagsList())
                .anySatisfy(t -> assertThat(t.getKey() + "=" + t.getValue()).isEqualTo("team=ops"));

        String renamed = unique("renamed");
        client.renameExperiment(id, renamed);
        assertThat(client.getExperiment(id).getName()).isEqualTo(renamed);

        ExperimentsPage found = client.searchExperiments("name = '" + renamed + "'");
        assertThat(found.getItems()).extracting(Experiment::getExperimentId).containsExactly(id);

        client.deleteExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.searchExperiments("name = '" + renamed + "'").getItems())
                .isEmpty();
        assertThat(client.searchExperiments("name = '" + renamed + "'", ViewType.DELETED_ONLY, 10, List.of())
                        .getItems())
                .extracting(Experiment::getExperimentId)
                .containsExactly(id);

        client.restoreExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void searchExperimentsPagesThroughAllOfThem() {
        String prefix = unique("paged");
        for (int i = 0; i < 5; i++) {
            client.createExperiment(prefix + "-" + i);
        }
        ExperimentsPage page =
                client.searchExperiments("name LIKE '" + prefix + "%'", ViewType.ACTIVE_ONLY, 2, List.of("name DESC"));
        List<String> names = new java.util.ArrayList<>();
        while (true) {
            page.getItems().forEach(e -> names.add(e.getName()));
            if (!page.hasNextPage()) {
                break;
            }
            page = (ExperimentsPage) page.getNextPage();
        }
        assertThat(names).containsExactly(prefix + "-4", prefix + "-3", prefix + "-2", prefix + "-1", prefix + "-0");
    }

    @Test
    void runLifecycleWithParamsMetricsTagsAndBatches() {
        String experimentId = client.createExperiment(unique("runs"));
        RunInfo info = client.createRun(CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setRunName("baseline")
                .setStartTime(1_700_000_000_000L)
                .addTags(RunTag.newBuilder().setKey("owner").setValue("ana"))
                .build());
        String runId = info.getRunId();
        assertThat(runId).matches("[0-9a-f]{32}");
        assertThat(info.getRunName()).isEqualTo("baseline");
        assertThat(info.getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.getArtifactUri()).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");

        client.logParam(runId, "lr", "0.1");
        client.logMetric(runId, "loss", 0.9, 1_700_000_000_001L, 0);
        client.logMetric(runId, "loss", 0.5, 1_700_000_000_002L, 1);
        client.logMetric(runId, "loss", 0.25, 1_700_000_000_003L, 2);
        client.setTag(runId, "stage", "dev");
        client.setTag(runId, "temporary", "x");
        client.deleteTag(runId, "temporary");
        client.logBatch(
                runId,
                List.of(Metric.newBuilder()
                        .setKey("acc")
                        .setValue(0.75)
                        .setTimestamp(1_700_000_000_004L)
                        .setStep(2)
                        .build()),
                List.of(Param.newBuilder().setKey("depth").setValue("6").build()),
                List.of(RunTag.newBuilder().setKey("batch").setValue("yes").build()));

        Run run = client.getRun(runId);
        assertThat(params(run)).containsEntry("lr", "0.1").containsEntry("depth", "6");
        assertThat(tags(run))
                .containsEntry("owner", "ana")
                .containsEntry("stage", "dev")
                .containsEntry("batch", "yes")
                .doesNotContainKey("temporary");
        Map<String, Double> latest =
                run.getData().getMetricsList().stream().collect(Collectors.toMap(Metric::getKey, Metric::getValue));
        assertThat(latest).containsEntry("loss", 0.25).containsEntry("acc", 0.75);

        List<Metric> history = client.getMetricHistory(runId, "loss");
        assertThat(history).extracting(Metric::getStep).containsExactly(0L, 1L, 2L);
        assertThat(history).extracting(Metric::getValue).containsExactly(0.9, 0.5, 0.25);
        assertThat(client.getMetricHistory(runId, "never-logged")).isEmpty();

        client.setTerminated(runId, RunStatus.FINISHED, 1_700_000_100_000L);
        RunInfo finished = client.getRun(runId).getInfo();
        assertThat(finished.getStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(finished.getEndTime()).isEqualTo(1_700_000_100_000L);

        client.deleteRun(runId);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("deleted");
        assertThat(runIds(experimentId, "", ViewType.ACTIVE_ONLY)).isEmpty();
        assertThat(runIds(experimentId, "", ViewType.DELETED_ONLY)).containsExactly(runId);
        client.restoreRun(runId);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void searchRunsFiltersOrdersAndPages() {
        String experimentId = client.createExperiment(unique("search"));
        for (int i = 0; i < 7; i++) {
            String runId = client.createRun(experimentId).getRunId();
            client.logParam(runId, "model", i % 2 == 0 ? "tree" : "linear");
            client.logMetric(runId, "m", i / 10.0);
        }
        RunsPage page = client.searchRuns(
                List.of(experimentId),
                "metrics.m >= 0.2 and params.model = 'tree'",
                ViewType.ACTIVE_ONLY,
                1,
                List.of("metrics.m DESC"));
        List<Double> values = new java.util.ArrayList<>();
        while (true) {
            page.getItems().forEach(r -> values.add(r.getData().getMetrics(0).getValue()));
            if (!page.hasNextPage()) {
                break;
            }
            page = (RunsPage) page.getNextPage();
        }
        assertThat(values).containsExactly(0.6, 0.4, 0.2);
    }

    @Test
    void nestedRunsAreFoundThroughTheParentTag() {
        String experimentId = client.createExperiment(unique("nested"));
        String parent = client.createRun(experimentId).getRunId();
        String child = client.createRun(CreateRun.newBuilder()
                        .setExperimentId(experimentId)
                        .addTags(
                                RunTag.newBuilder().setKey("mlflow.parentRunId").setValue(parent))
                        .build())
                .getRunId();
        client.createRun(experimentId);

        assertThat(runIds(experimentId, "tags.mlflow.parentRunId = '" + parent + "'", ViewType.ACTIVE_ONLY))
                .containsExactly(child);
        assertThat(tags(client.getRun(child))).containsEntry("mlflow.parentRunId", parent);
    }

    @Test
    void errorsReachTheClientWithStatusAndCode() {
        assertThatThrownBy(() -> client.getRun("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
        String name = unique("twice");
        client.createExperiment(name);
        assertThatThrownBy(() -> client.createExperiment(name)).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
        });
        String runId = client.createRun(
                        client.getExperimentByName(name).orElseThrow().getExperimentId())
                .getRunId();
        client.logParam(runId, "p", "1");
        assertThatThrownBy(() -> client.logParam(runId, "p", "2"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE");
                });
    }

    private List<String> runIds(String experimentId, String filter, ViewType view) {
        return client.searchRuns(List.of(experimentId), filter, view, 1000).getItems().stream()
                .map(r -> r.getInfo().getRunId())
                .toList();
    }

    private static Map<String, String> params(Run run) {
        return run.getData().getParamsList().stream().collect(Collectors.toMap(Param::getKey, Param::getValue));
    }

    private static Map<String, String> tags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }
}
