package dev.cairn.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.ErrorCode;
import dev.cairn.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model version's source must be an artifact the server stored. Named after the MLflow
 * advisories whose class of bug each case reproduces; runs on SQLite (the rules are not SQL).
 */
class ModelSourceConfinementTest extends RegistryStoreContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }

    private void refused(String source) {
        store.createRegisteredModel("m", java.util.List.of(), "");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.createModelVersion(NewModelVersion.of("m", source)),
                "Invalid model version source");
        assertThat(store.searchModelVersions(RegistrySearch.of("", 10)).items()).isEmpty();
    }

    /** CVE-2023-1177: a {@code file:} or absolute source made the server read its own disk. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "file:///etc/passwd",
                "file:/etc",
                "/etc/passwd",
                "/",
                "C:\\Windows\\System32",
                "\\\\host\\share\\model",
                "etc/passwd",
                "http://169.254.169.254/latest/meta-data",
                "s3://bucket/model",
                "hdfs://namenode/model",
                "mlflow-artifacts://evil-host/1/r/artifacts/model",
                "runs://host/run/model",
                " runs:/x/model"
            })
    void cve_2023_1177_localAndForeignSourcesAreRefused(String source) {
        refused(source);
    }

    /** CVE-2024-1558: traversal inside an otherwise valid source escaped the run's artifact root. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/../../../../etc",
                "/model/../../../../etc/passwd",
                "/%2e%2e/%2e%2e/etc/passwd",
                "/%252e%252e/etc",
                "/model/..%2f..%2fetc",
                "/model\\..\\..\\etc",
                "/model#/../../etc",
                "/model?x=/../../etc",
                "/model;/../../etc",
                "//model"
            })
    void cve_2024_1558_traversalInRunsSourceIsRefused(String suffix) {
        refused("runs:/" + run.runId() + suffix);
    }

    /** CVE-2025-11201: a source outside any server-generated artifact root (or of a foreign run) was accepted. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "mlflow-artifacts:/EXP/RUN/artifacts/../../../etc",
                "mlflow-artifacts:/EXP/RUN/../other/artifacts/model",
                "mlflow-artifacts:/EXP/RUN/model",
                "mlflow-artifacts:/EXP/RUN",
                "mlflow-artifacts:/999/RUN/artifacts/model",
                "mlflow-artifacts:/EXP/0123456789abcdef0123456789abcdef/artifacts/model",
                "runs:/0123456789abcdef0123456789abcdef/model",
                "runs:/../RUN/model",
                "models:/missing/1",
                "models:/../../etc",
                "models:/m/1/../../x"
            })
    void cve_2025_11201_sourcesOutsideServerRootsAreRefused(String template) {
        refused(template.replace("EXP", run.experimentId()).replace("RUN", run.runId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"runs:/RUN/model", "runs:/RUN/a/b/model.onnx", "mlflow-artifacts:/EXP/RUN/artifacts/model"})
    void serverStoredSourcesAreAccepted(String template) {
        store.createRegisteredModel("ok", java.util.List.of(), "");
        ModelVersion v = store.createModelVersion(NewModelVersion.of(
                "ok", template.replace("EXP", run.experimentId()).replace("RUN", run.runId())));
        assertThat(v.storageLocation())
                .startsWith("mlflow-artifacts:/" + run.experimentId() + "/" + run.runId() + "/artifacts/");
    }
}
