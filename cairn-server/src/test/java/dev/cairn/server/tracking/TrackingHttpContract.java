package dev.cairn.server.tracking;

import static dev.cairn.server.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.HttpCalls.Answer;
import dev.cairn.server.TestServers;
import dev.cairn.store.TestDatabases;
import java.net.URLEncoder;
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

/**
 * The tracking REST API over raw HTTP, shaped as the Python client sends it: GET reads with query
 * strings and repeated keys, POST reads with JSON bodies, proto JSON responses, and every kind of
 * bad input answered with a 4xx JSON error and nothing written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrackingHttpContract {
    private static final String API = "/api/2.0/mlflow/";

    @TempDir
    static Path home;

    private CairnServer server;
    private HttpCalls http;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        server = TestServers.start(kind(), home);
        http = new HttpCalls(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        return answer.json();
    }

    private void assertError(Answer answer, int status, String code, String... messageParts) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(body.get("error_code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        for (String part : messageParts) {
            assertThat(body.get("message").asText()).contains(part);
        }
    }

    private String experiment(String name) {
        return ok(http.post(API + "experiments/create", json(Map.of("name", name))))
                .get("experiment_id")
                .asText();
    }

    private String run(String experimentId) {
        return ok(http.post(API + "runs/create", json(Map.of("experiment_id", experimentId, "start_time", 1000))))
                .at("/run/info/run_id")
                .asText();
    }

    private JsonNode getRun(String runId) {
        return ok(http.get(API + "runs/get?run_id=" + runId)).get("run");
    }

    @Test
    void runResponseHasTheProtoShape() {
        String experimentId = experiment(unique("shape"));
        JsonNode created = ok(http.post(
                API + "runs/create",
                json(Map.of(
                        "experiment_id",
                        experimentId,
                        "run_name",
                        "r1",
                        "start_time",
                        1_700_000_000_000L,
                        "tags",
                        List.of(Map.of("key", "k", "value", "v"))))));
        JsonNode info = created.at("/run/info");
        assertThat(info.get("run_id").asText()).matches("[0-9a-f]{32}");
        assertThat(info.get("run_uuid").asText()).isEqualTo(info.get("run_id").asText());
        assertThat(info.get("start_time").isIntegralNumber()).isTrue();
        assertThat(info.get("start_time").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(info.has("end_time")).isFalse();
        assertThat(info.get("status").asText()).isEqualTo("RUNNING");
        assertThat(info.get("lifecycle_stage").asText()).isEqualTo("active");
        assertThat(info.get("experiment_id").asText()).isEqualTo(experimentId);
        assertThat(created.at("/run/data/tags").toString()).contains("\"key\":\"k\"");
        assertThat(created.at("/run/inputs").isObject()).isTrue();
    }

    @Test
    void ajaxApiPrefixServesTheSameEndpoints() {
        String name = unique("ajax");
        String id = experiment(name);
        JsonNode body = ok(http.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + id));
        assertThat(body.at("/experiment/name").asText()).isEqualTo(name);
    }

    @Test
    void getReadsTakeQueryStringsWithRepeatedKeys() {
        String prefix = unique("get");
        for (String suffix : List.of("a", "b", "c")) {
            experiment(prefix + "-" + suffix);
        }
        JsonNode page = ok(http.get(API + "experiments/search?max_results=2&view_type=ACTIVE_ONLY&filter="
                + q("name LIKE '" + prefix + "%'") + "&order_by=" + q("last_update_time DESC")
                + "&order_by=" + q("name ASC")));
        assertThat(page.get("experiments")).hasSize(2);
        assertThat(page.get("next_page_token").asText()).isNotEmpty();
        JsonNode rest = ok(http.get(API + "experiments/search?max_results=2&filter=" + q("name LIKE '" + prefix + "%'")
                + "&order_by=" + q("last_update_time DESC") + "&order_by=" + q("name ASC") + "&page_token="
                + q(page.get("next_page_token").asText())));
        assertThat(rest.get("experiments")).hasSize(1);
        assertThat(rest.has("next_page_token")).isFalse();

        JsonNode byName = ok(http.get(API + "experiments/get-by-name?experiment_name=" + q(prefix + "-b")));
        assertThat(byName.at("/experiment/name").asText()).isEqualTo(prefix + "-b");
    }

    @Test
    void everyReadAlsoAcceptsPostWithAJsonBody() {
        String name = unique("post-read");
        String experimentId = experiment(name);
        String runId = run(experimentId);
        ok(http.post(API + "runs/log-metric", json(Map.of("run_id", runId, "key", "m", "value", 1.5, "timestamp", 5))));

        assertThat(ok(http.post(API + "experiments/get", json(Map.of("experiment_id", experimentId))))
                        .at("/experiment/name")
                        .asText())
                .isEqualTo(name);
        assertThat(ok(http.post(API + "experiments/get-by-name", json(Map.of("experiment_name", name))))
                        .at("/experiment/experiment_id")
                        .asText())
                .isEqualTo(experimentId);
        assertThat(ok(http.post(API + "experiments/search", json(Map.of("filter", "name = '" + name + "'"))))
                        .get("experiments"))
                .hasSize(1);
        assertThat(ok(http.post(API + "runs/get", json(Map.of("run_id", runId))))
                        .at("/run/info/run_id")
                        .asText())
                .isEqualTo(runId);
        assertThat(ok(http.post(API + "metrics/get-history", json(Map.of("run_id", runId, "metric_key", "m"))))
                        .at("/metrics/0/value")
                        .asDouble())
                .isEqualTo(1.5);
        assertThat(ok(http.get(API + "runs/search?experiment_ids=" + experimentId))
                        .get("runs"))
                .hasSize(1);
    }

    @Test
    void metricHistoryPagesWithMaxResultsAndPageToken() {
        String runId = run(experiment(unique("history")));
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int step = 0; step < 25; step++) {
            metrics.add(Map.of("key", "loss", "value", 1.0 / (step + 1), "timestamp", 1000 + step, "step", step));
        }
        ok(http.post(API + "runs/log-batch", json(Map.of("run_id", runId, "metrics", metrics))));

        JsonNode all = ok(http.get(API + "metrics/get-history?run_id=" + runId + "&metric_key=loss"));
        assertThat(all.get("metrics")).hasSize(25);
        assertThat(all.at("/metrics/24/step").asLong()).isEqualTo(24);

        List<Long> steps = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = ok(http.get(API + "metrics/get-history?run_id=" + runId + "&metric_key=loss&max_results=10"
                    + (token.isEmpty() ? "" : "&page_token=" + q(token))));
            page.get("metrics").forEach(m -> steps.add(m.get("step").asLong()));
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        assertThat(steps).hasSize(25).isSorted();
    }

    @Test
    void pythonStyleBareNanIsAccepted() {
        String runId = run(experiment(unique("nan")));
        ok(http.post(
                API + "runs/log-metric",
                "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": NaN, \"timestamp\": 1, \"step\": 0}"));
        JsonNode history = ok(http.get(API + "metrics/get-history?run_id=" + runId + "&metric_key=m"));
        assertThat(history.at("/metrics/0/value").asText()).isEqualTo("NaN");
    }

    @Test
    void logInputsRecordsDatasetsOnTheRun() {
        String runId = run(experiment(unique("inputs")));
        Map<String, Object> dataset = Map.of(
                "name",
                "flights",
                "digest",
                "abc123",
                "source_type",
                "local",
                "source",
                "{\"uri\": \"/data\"}",
                "schema",
                "{\"cols\": []}");
        ok(http.post(
                API + "runs/log-inputs",
                json(Map.of(
                        "run_id",
                        runId,
                        "datasets",
                        List.of(Map.of(
                                "dataset",
                                dataset,
                                "tags",
                                List.of(Map.of("key", "mlflow.data.context", "value", "training"))))))));
        JsonNode input = getRun(runId).at("/inputs/dataset_inputs/0");
        assertThat(input.at("/dataset/name").asText()).isEqualTo("flights");
        assertThat(input.at("/dataset/digest").asText()).isEqualTo("abc123");
        assertThat(input.at("/dataset/source_type").asText()).isEqualTo("local");
        assertThat(input.at("/tags/0/value").asText()).isEqualTo("training");
    }

    @Test
    void updateRunAnswersWithRunInfo() {
        String runId = run(experiment(unique("update")));
        JsonNode info = ok(http.post(
                        API + "runs/update",
                        json(Map.of("run_id", runId, "status", "KILLED", "end_time", 2000, "run_name", "renamed"))))
                .get("run_info");
        assertThat(info.get("status").asText()).isEqualTo("KILLED");
        assertThat(info.get("end_time").asLong()).isEqualTo(2000);
        assertThat(info.get("run_name").asText()).isEqualTo("renamed");
    }

    @Test
    void malformedJsonIsMalformedRequest() {
        Answer truncated = http.post(API + "experiments/create", "{\"name\": ");
        assertError(truncated, 400, "MALFORMED_REQUEST", "Malformed JSON", "line 1");
        assertThat(truncated.json().get("message").asText()).doesNotContain("Source", "REDACTED");
        assertError(http.post(API + "experiments/create", "[1, 2]"), 400, "MALFORMED_REQUEST", "JSON object");
        assertError(http.post(API + "experiments/create", "{\"name\": \"a\"} trailing"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void wrongTypesNameTheField() {
        String runId = run(experiment(unique("types")));
        assertError(
                http.post(
                        API + "runs/log-metric",
                        json(Map.of("run_id", runId, "key", "m", "value", "high", "timestamp", 1))),
                400,
                "INVALID_PARAMETER_VALUE",
                "'value'");
        assertError(
                http.post(
                        API + "runs/log-metric",
                        json(Map.of("run_id", runId, "key", "m", "value", 1, "timestamp", 1.5))),
                400,
                "INVALID_PARAMETER_VALUE",
                "'timestamp'");
        assertError(
                http.post(API + "runs/create", json(Map.of("experiment_id", "0", "tags", Map.of("k", "v")))),
                400,
                "INVALID_PARAMETER_VALUE",
                "'tags'");
        assertError(
                http.post(API + "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": [null]}"),
                400,
                "INVALID_PARAMETER_VALUE",
                "metrics[0]");
        assertError(
                http.post(
                        API + "runs/log-batch",
                        "{\"run_id\": \"" + runId + "\", \"params\": [{\"key\": {\"nested\": 1}, \"value\": \"v\"}]}"),
                400,
                "INVALID_PARAMETER_VALUE",
                "params[0].key");
        assertError(
                http.post(API + "runs/update", json(Map.of("run_id", runId, "status", "DONE"))),
                400,
                "INVALID_PARAMETER_VALUE",
                "'status'",
                "DONE");
        assertError(
                http.get(API + "experiments/search?max_results=ten"), 400, "INVALID_PARAMETER_VALUE", "'max_results'");
        assertError(
                http.get(API + "experiments/get?experiment_id=1&experiment_id=2"),
                400,
                "INVALID_PARAMETER_VALUE",
                "'experiment_id'");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertError(http.post(API + "experiments/create", "{}"), 400, "INVALID_PARAMETER_VALUE", "'name'");
        assertError(http.post(API + "experiments/create", ""), 400, "INVALID_PARAMETER_VALUE", "'name'");
        assertError(http.get(API + "runs/get"), 400, "INVALID_PARAMETER_VALUE", "'run_id'");
        assertError(
                http.post(API + "runs/log-metric", json(Map.of("run_id", "x", "key", "m", "timestamp", 1))),
                400,
                "INVALID_PARAMETER_VALUE",
                "'value'");
        assertError(http.get(API + "metrics/get-history?run_id=abc"), 400, "INVALID_PARAMETER_VALUE", "'metric_key'");
    }

    @Test
    void unknownIdsAreResourceDoesNotExist() {
        String missingRun = "0123456789abcdef0123456789abcdef";
        assertError(http.get(API + "runs/get?run_id=" + missingRun), 404, "RESOURCE_DOES_NOT_EXIST");
        assertError(http.get(API + "experiments/get?experiment_id=987654321"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertError(
                http.get(API + "experiments/get-by-name?experiment_name=" + unique("nobody")),
                404,
                "RESOURCE_DOES_NOT_EXIST");
        assertError(
                http.get(API + "metrics/get-history?run_id=" + missingRun + "&metric_key=m"),
                404,
                "RESOURCE_DOES_NOT_EXIST");
        assertError(
                http.post(
                        API + "runs/log-metric",
                        json(Map.of("run_id", missingRun, "key", "m", "value", 1, "timestamp", 1))),
                404,
                "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void oversizeValuesAreRejectedAndNothingIsWritten() {
        String runId = run(experiment(unique("oversize")));
        assertError(
                http.post(
                        API + "runs/log-parameter",
                        json(Map.of("run_id", runId, "key", "big", "value", "x".repeat(6001)))),
                400,
                "INVALID_PARAMETER_VALUE");
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            metrics.add(Map.of("key", "m", "value", i, "timestamp", i, "step", i));
        }
        assertError(
                http.post(API + "runs/log-batch", json(Map.of("run_id", runId, "metrics", metrics))),
                400,
                "INVALID_PARAMETER_VALUE");
        assertError(
                http.post(
                        API + "runs/log-batch",
                        json(Map.of(
                                "run_id",
                                runId,
                                "metrics",
                                List.of(Map.of("key", "ok", "value", 1, "timestamp", 1)),
                                "params",
                                List.of(Map.of("key", "too-long", "value", "y".repeat(6001)))))),
                400,
                "INVALID_PARAMETER_VALUE");

        JsonNode data = getRun(runId).get("data");
        assertThat(data.has("params")).isFalse();
        assertThat(data.has("metrics")).isFalse();
    }

    @Test
    void searchRunsFilterErrorsAreClientErrors() {
        String experimentId = experiment(unique("bad-filter"));
        Answer answer = http.post(
                API + "runs/search",
                json(Map.of("experiment_ids", List.of(experimentId), "filter", "metrics.m >>> 'x' and (")));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    }
}
