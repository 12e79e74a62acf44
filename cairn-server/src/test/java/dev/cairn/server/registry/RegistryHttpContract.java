package dev.cairn.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.TestServers;
import dev.cairn.store.TestDatabases;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;

/**
 * MLflow's model-registry REST API over a real server: every registry call that MLflow's Java
 * client ({@code org.mlflow:mlflow-client:2.17.2}) offers (get registered model, get model version,
 * latest versions, search model versions, download URI) through that client, and the calls it lacks
 * as raw HTTP shaped as MLflow's Python client sends them, with the proto's verbs. Every error is
 * a 4xx JSON body; one subclass per database kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryHttpContract {
    private static final String API = "/api/2.0/mlflow/";

    @TempDir
    static Path home;

    private CairnServer server;
    private MlflowClient client;
    private HttpCalls http;
    private RunInfo run;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        server = TestServers.start(kind(), home);
        client = new MlflowClient(TestServers.baseUrl(server));
        http = new HttpCalls(server);
        run = client.createRun(client.createExperiment(unique("registry")));
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode ok(HttpCalls.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        return answer.json();
    }

    private JsonNode call(String method, String path, Object body) {
        return ok(send(method, path, body));
    }

    private HttpCalls.Answer send(String method, String path, Object body) {
        return http.send(HttpRequest.newBuilder(URI.create(TestServers.baseUrl(server) + API + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(HttpCalls.json(body))));
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void assertError(HttpCalls.Answer answer, int status, String code, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().path("error_code").asText()).isEqualTo(code);
        assertThat(answer.json().path("message").asText()).contains(messagePart);
    }

    private String newModel() {
        String name = unique("flights");
        call("POST", "registered-models/create", Map.of("name", name));
        return name;
    }

    private String register(String name) {
        JsonNode created = call(
                "POST",
                "model-versions/create",
                Map.of("name", name, "source", "runs:/" + run.getRunId() + "/model", "run_id", run.getRunId()));
        return created.path("model_version").path("version").asText();
    }

    @Test
    void registeredModelLifecycle() {
        String name = unique("flights");
        JsonNode created = call(
                "POST",
                "registered-models/create",
                Map.of("name", name, "description", "delays", "tags", List.of(Map.of("key", "team", "value", "ops"))));
        assertThat(created.path("registered_model").path("name").asText()).isEqualTo(name);

        RegisteredModel fetched = client.getRegisteredModel(name);
        assertThat(fetched.getDescription()).isEqualTo("delays");
        assertThat(fetched.getTagsList())
                .anySatisfy(t -> assertThat(t.getKey() + "=" + t.getValue()).isEqualTo("team=ops"));
        assertThat(fetched.getCreationTimestamp()).isPositive();

        call("PATCH", "registered-models/update", Map.of("name", name, "description", "late"));
        assertThat(client.getRegisteredModel(name).getDescription()).isEqualTo("late");
        call("POST", "registered-models/set-tag", Map.of("name", name, "key", "k", "value", "v"));
        call("DELETE", "registered-models/delete-tag", Map.of("name", name, "key", "team"));
        assertThat(client.getRegisteredModel(name).getTagsList())
                .extracting(t -> t.getKey())
                .containsExactly("k");

        String renamed = name + "-v2";
        JsonNode answer = call("POST", "registered-models/rename", Map.of("name", name, "new_name", renamed));
        assertThat(answer.path("registered_model").path("name").asText()).isEqualTo(renamed);
        assertThat(client.getRegisteredModel(renamed).getDescription()).isEqualTo("late");

        call("DELETE", "registered-models/delete", Map.of("name", renamed));
        assertThatThrownBy(() -> client.getRegisteredModel(renamed))
                .isInstanceOf(MlflowHttpException.class)
                .satisfies(e ->
                        assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(404));
        // Reads answer GET and POST alike, on both prefixes.
        String other = newModel();
        assertThat(ok(http.get("/ajax-api/2.0/mlflow/registered-models/get?name=" + q(other)))
                        .path("registered_model")
                        .path("name")
                        .asText())
                .isEqualTo(other);
        assertThat(call("POST", "registered-models/get", Map.of("name", other))
                        .path("registered_model")
                        .path("name")
                        .asText())
                .isEqualTo(other);
    }

    @Test
    void modelVersionLifecycleThroughTheJavaClient() {
        String name = newModel();
        String version = register(name);
        assertThat(version).isEqualTo("1");

        ModelVersion v = client.getModelVersion(name, "1");
        assertThat(v.getSource()).isEqualTo("runs:/" + run.getRunId() + "/model");
        assertThat(v.getRunId()).isEqualTo(run.getRunId());
        assertThat(v.getCurrentStage()).isEqualTo("None");
        assertThat(v.getStatus().name()).isEqualTo("READY");
        assertThat(client.getModelVersionDownloadUri(name, "1"))
                .isEqualTo("mlflow-artifacts:/" + run.getExperimentId() + "/" + run.getRunId() + "/artifacts/model");

        call("PATCH", "model-versions/update", Map.of("name", name, "version", "1", "description", "first"));
        assertThat(client.getModelVersion(name, "1").getDescription()).isEqualTo("first");
        call("POST", "model-versions/set-tag", Map.of("name", name, "version", "1", "key", "flavor", "value", "onnx"));
        assertThat(client.getModelVersion(name, "1").getTagsList())
                .anySatisfy(t -> assertThat(t.getValue()).isEqualTo("onnx"));
        call("DELETE", "model-versions/delete-tag", Map.of("name", name, "version", "1", "key", "flavor"));
        assertThat(client.getModelVersion(name, "1").getTagsList()).isEmpty();

        register(name);
        call("DELETE", "model-versions/delete", Map.of("name", name, "version", "2"));
        assertThatThrownBy(() -> client.getModelVersion(name, "2"))
                .isInstanceOf(MlflowHttpException.class)
                .satisfies(e ->
                        assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(404));
        assertThat(register(name)).isEqualTo("3");
    }

    @Test
    void stagesAndLatestVersions() {
        String name = newModel();
        for (int i = 0; i < 3; i++) {
            register(name);
        }
        call("POST", "model-versions/transition-stage", Map.of("name", name, "version", "1", "stage", "Production"));
        JsonNode moved = call(
                "POST",
                "model-versions/transition-stage",
                Map.of("name", name, "version", "2", "stage", "production", "archive_existing_versions", true));
        assertThat(moved.path("model_version").path("current_stage").asText()).isEqualTo("Production");
        assertThat(client.getModelVersion(name, "1").getCurrentStage()).isEqualTo("Archived");

        assertThat(client.getLatestVersions(name, List.of("Production")))
                .extracting(ModelVersion::getVersion)
                .containsExactly("2");
        assertThat(client.getLatestVersions(name))
                .extracting(mv -> mv.getCurrentStage() + ":" + mv.getVersion())
                .containsExactlyInAnyOrder("None:3", "Production:2", "Archived:1");
        assertThat(client.getRegisteredModel(name).getLatestVersionsList()).hasSize(3);
        JsonNode byPost =
                call("POST", "registered-models/get-latest-versions", Map.of("name", name, "stages", List.of("None")));
        assertThat(byPost.path("model_versions").get(0).path("version").asText())
                .isEqualTo("3");
    }

    @Test
    void aliases() {
        String name = newModel();
        register(name);
        register(name);
        call("POST", "registered-models/alias", Map.of("name", name, "alias", "champion", "version", "2"));
        JsonNode byAlias = ok(http.get(API + "registered-models/alias?name=" + q(name) + "&alias=champion"));
        assertThat(byAlias.path("model_version").path("version").asText()).isEqualTo("2");
        assertThat(byAlias.path("model_version").path("aliases").get(0).asText())
                .isEqualTo("champion");
        assertThat(client.getModelVersion(name, "2").getAliasesList()).containsExactly("champion");
        assertThat(client.getRegisteredModel(name).getAliasesList())
                .anySatisfy(a -> assertThat(a.getAlias() + "=" + a.getVersion()).isEqualTo("champion=2"));

        call("DELETE", "registered-models/alias", Map.of("name", name, "alias", "champion"));
        assertError(
                http.get(API + "registered-models/alias?name=" + q(name) + "&alias=champion"),
                404,
                "RESOURCE_DOES_NOT_EXIST",
                "champion");
        // A DELETE with its fields in the query string, as some clients send it.
        call("POST", "registered-models/alias", Map.of("name", name, "alias", "challenger", "version", "1"));
        ok(http.send(HttpRequest.newBuilder(URI.create(TestServers.baseUrl(server) + API
                        + "registered-models/alias?name=" + q(name) + "&alias=challenger"))
                .DELETE()));
        assertThat(client.getModelVersion(name, "1").getAliasesList()).isEmpty();
    }

    @Test
    void searchThroughTheJavaClientAndRawHttp() {
        String name = newModel();
        for (int i = 0; i < 5; i++) {
            register(name);
        }
        ModelVersionsPage page = client.searchModelVersions("name = '" + name + "'", 2, List.of("version_number ASC"));
        List<String> versions = new ArrayList<>();
        page.getItems().forEach(v -> versions.add(v.getVersion()));
        ModelVersionsPage next = page;
        while (next.hasNextPage()) {
            next = (ModelVersionsPage) next.getNextPage();
            next.getItems().forEach(v -> versions.add(v.getVersion()));
        }
        assertThat(versions).containsExactly("1", "2", "3", "4", "5");
        assertThat(client.searchModelVersions("run_id = '" + run.getRunId() + "' AND name = '" + name + "'")
                        .getItems())
                .hasSize(5);

        JsonNode models = ok(http.get(API + "registered-models/search?filter=" + q("name = '" + name + "'")
                + "&max_results=10&order_by=" + q("name DESC")));
        assertThat(models.path("registered_models").get(0).path("name").asText())
                .isEqualTo(name);
        JsonNode viaPost = call(
                "POST", "registered-models/search", Map.of("filter", "name LIKE '" + name + "%'", "max_results", 1));
        assertThat(viaPost.path("registered_models")).hasSize(1);
        JsonNode versionsViaPost =
                call("POST", "model-versions/search", Map.of("filter", "name = '" + name + "'", "max_results", 3));
        assertThat(versionsViaPost.path("model_versions")).hasSize(3);
        assertThat(versionsViaPost.path("next_page_token").asText()).isNotEmpty();
    }

    @Test
    void sourcesOutsideTheServersArtifactsAreRefusedWith400() {
        String name = newModel();
        for (String source : List.of(
                "file:///etc/passwd",
                "/etc/passwd",
                "runs:/" + run.getRunId() + "/../../../../etc",
                "runs:/" + run.getRunId() + "/%2e%2e/%2e%2e/etc",
                "mlflow-artifacts:/" + run.getExperimentId() + "/" + run.getRunId() + "/artifacts/../../x",
                "http://169.254.169.254/latest/meta-data",
                "s3://bucket/model",
                "runs:/0123456789abcdef0123456789abcdef/model")) {
            assertError(
                    send("POST", "model-versions/create", Map.of("name", name, "source", source)),
                    400,
                    "INVALID_PARAMETER_VALUE",
                    "Invalid model version source");
        }
        assertThat(client.searchModelVersions("name = '" + name + "'").getItems())
                .isEmpty();
    }

    @Test
    void everyErrorIsA4xxJsonBody() {
        String name = newModel();
        register(name);
        assertError(
                send("POST", "registered-models/create", Map.of("name", name)),
                400,
                "RESOURCE_ALREADY_EXISTS",
                "already exists");
        assertError(send("POST", "registered-models/create", Map.of()), 400, "INVALID_PARAMETER_VALUE", "name");
        assertError(
                http.get(API + "registered-models/get?name=" + q(unique("missing"))),
                404,
                "RESOURCE_DOES_NOT_EXIST",
                "not found");
        assertError(
                http.get(API + "model-versions/get?name=" + q(name) + "&version=7"),
                404,
                "RESOURCE_DOES_NOT_EXIST",
                "version=7");
        assertError(
                http.get(API + "model-versions/get?name=" + q(name) + "&version=abc"),
                400,
                "INVALID_PARAMETER_VALUE",
                "integer");
        assertError(
                send("POST", "model-versions/transition-stage", Map.of("name", name, "version", "1", "stage", "Live")),
                400,
                "INVALID_PARAMETER_VALUE",
                "stage");
        assertError(
                send("POST", "registered-models/alias", Map.of("name", name, "alias", "latest", "version", "1")),
                400,
                "INVALID_PARAMETER_VALUE",
                "latest");
        assertError(
                http.get(API + "registered-models/search?filter=" + q("name = ")),
                400,
                "INVALID_PARAMETER_VALUE",
                "filter");
        assertError(
                http.get(API + "model-versions/search?page_token=notatoken"),
                400,
                "INVALID_PARAMETER_VALUE",
                "page token");
        assertError(
                http.get(API + "registered-models/search?max_results=0"),
                400,
                "INVALID_PARAMETER_VALUE",
                "max_results");
        assertError(http.post(API + "model-versions/create", "{not json"), 400, "MALFORMED_REQUEST", "Malformed JSON");
        assertError(
                send("POST", "registered-models/rename", Map.of("name", unique("gone"), "new_name", "x")),
                404,
                "RESOURCE_DOES_NOT_EXIST",
                "not found");
        // Mutations answer only the proto's verb.
        assertThat(send("POST", "registered-models/delete", Map.of("name", name))
                        .status())
                .isBetween(400, 499);
        assertThat(client.getRegisteredModel(name).getName()).isEqualTo(name);
    }
}
