package dev.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The MLflow REST calls the benchmark makes, shaped as the Python client sends them. */
final class MlflowCalls {
    static final String API = "/api/2.0/mlflow/";

    private final ObjectMapper json = new ObjectMapper();

    ObjectNode object() {
        return json.createObjectNode();
    }

    byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    JsonNode parse(HttpConnection.Response response) throws IOException {
        return json.readTree(response.body());
    }

    String createExperiment(HttpConnection c, String name) throws IOException {
        return parse(post(c, "experiments/create", object().put("name", name)))
                .path("experiment_id")
                .asText();
    }

    String createRun(HttpConnection c, String experimentId, long startTime) throws IOException {
        ObjectNode body = object().put("experiment_id", experimentId).put("start_time", startTime);
        return parse(post(c, "runs/create", body))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
    }

    /** A log-batch body with {@code count} points of {@code keys} metrics, steps from {@code firstStep}. */
    byte[] metricBatch(String runId, int count, int keys, long firstStep, long timestamp) {
        ObjectNode body = object().put("run_id", runId);
        ArrayNode metrics = body.putArray("metrics");
        for (int i = 0; i < count; i++) {
            metrics.addObject()
                    .put("key", "m" + (i % keys))
                    .put("value", (i * 7919 % 1000) / 1000.0)
                    .put("timestamp", timestamp)
                    .put("step", firstStep + i / keys);
        }
        return bytes(body);
    }

    /** A log-batch body with the given params and metrics (value at step 0). */
    byte[] paramsAndMetrics(String runId, Map<String, String> params, Map<String, Double> metrics, long timestamp) {
        ObjectNode body = object().put("run_id", runId);
        ArrayNode p = body.putArray("params");
        params.forEach((k, v) -> p.addObject().put("key", k).put("value", v));
        ArrayNode m = body.putArray("metrics");
        metrics.forEach((k, v) -> m.addObject()
                .put("key", k)
                .put("value", v)
                .put("timestamp", timestamp)
                .put("step", 0));
        return bytes(body);
    }

    HttpConnection.Response post(HttpConnection c, String endpoint, byte[] body) throws IOException {
        return ok(c.postJson(API + endpoint, body), endpoint);
    }

    HttpConnection.Response post(HttpConnection c, String endpoint, JsonNode body) throws IOException {
        return post(c, endpoint, bytes(body));
    }

    HttpConnection.Response get(HttpConnection c, String endpoint, String query) throws IOException {
        return ok(c.get(API + endpoint + "?" + query), endpoint);
    }

    static String param(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpConnection.Response ok(HttpConnection.Response response, String endpoint) {
        if (response.status() != 200) {
            throw new IllegalStateException(endpoint + " answered " + response.status() + ": " + response.text());
        }
        return response;
    }
}
