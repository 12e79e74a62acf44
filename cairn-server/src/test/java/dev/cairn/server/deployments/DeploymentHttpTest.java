package dev.cairn.server.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
import dev.cairn.models.Tensor;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.HttpCalls.Answer;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.TestServers;
import dev.cairn.serving.InferenceLogQuery;
import dev.cairn.serving.LoggedInference;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments over a real server with real XGBoost and ONNX packages trained on the committed
 * flights sample: weighted splits, shadows, automatic rollback of a broken canary, promotion, the
 * history of every change, and bad input.
 */
class DeploymentHttpTest {
    @TempDir
    static Path temp;

    static CairnServer server;
    static HttpCalls http;
    static Database reader;
    static String xgb1;
    static String xgb2;
    static String onnx;
    static String oneRow;
    static String oneRowScoring;

    @BeforeAll
    static void start() throws IOException {
        FlightsSample sample = FlightsSample.load();
        xgb1 = temp.resolve("xgb1").toString();
        xgb2 = temp.resolve("xgb2").toString();
        onnx = temp.resolve("onnx").toString();
        FlightModels.saveXGBoost(sample, Path.of(xgb1));
        FlightModels.saveXGBoost(sample, Path.of(xgb2));
        FlightModels.saveLogisticOnnx(sample, Path.of(onnx));
        var inputs = new ArrayList<Map<String, Object>>();
        for (Tensor column : FlightModels.columns(sample.test, 1)) {
            var tensor = new LinkedHashMap<String, Object>();
            tensor.put("name", column.name());
            tensor.put("datatype", "FP32");
            tensor.put("shape", List.of(1));
            tensor.put("data", column.data());
            inputs.add(tensor);
        }
        oneRow = HttpCalls.json(Map.of("inputs", inputs));
        var columns = new ArrayList<String>();
        var row = new ArrayList<Object>();
        for (Tensor column : FlightModels.columns(sample.test, 1)) {
            columns.add(column.name());
            row.add(((float[]) column.data())[0]);
        }
        oneRowScoring = HttpCalls.json(Map.of("dataframe_split", Map.of("columns", columns, "data", List.of(row))));
        server = TestServers.start(
                TestDatabases.Kind.SQLITE,
                ServerConfig.builder().home(temp.resolve("home")).port(0));
        http = new HttpCalls(server);
        reader = Database.open(StoreUrl.parse(server.config().storeUrl()));
    }

    @AfterAll
    static void stop() {
        if (reader != null) {
            reader.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void trafficFollowsTheWeightsAndARoutingKeyAlwaysPicksTheSameVersion() {
        Answer created = create("split", "alice", splits(split(xgb1, "1", 90), split(xgb2, "2", 10)), null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isEqualTo("CANARY");

        int n = 2000;
        int canary = 0;
        for (int i = 0; i < n; i++) {
            Answer answer = infer("split", "user-" + i);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            if (answer.json().get("model_version").asText().equals("2")) {
                canary++;
            }
        }
        // Binomial(2000, 0.10): mean 200, standard deviation sqrt(2000 * 0.1 * 0.9) = 13.4; 5 deviations.
        double sd = Math.sqrt(n * 0.1 * 0.9);
        assertThat((double) canary).isBetween(n * 0.1 - 5 * sd, n * 0.1 + 5 * sd);

        String first = infer("split", "user-7").json().get("model_version").asText();
        for (int i = 0; i < 20; i++) {
            assertThat(infer("split", "user-7").json().get("model_version").asText())
                    .isEqualTo(first);
        }
        // Without a key the choice is random and still weighted: both versions answer.
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < 200; i++) {
            seen.add(infer("split", "").json().get("model_version").asText());
        }
        assertThat(seen).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void shadowGetsMirroredRequestsAndItsAnswerNeverReachesTheClient() {
        Instant from = Instant.now().minusSeconds(1);
        var body = new LinkedHashMap<String, Object>();
        body.put("name", "mirror");
        body.put("splits", List.of(split(xgb1, "1", 100)));
        body.put("shadows", List.of(split(xgb2, "s", 100)));
        Answer created = send("POST", "/api/v1/deployments", HttpCalls.json(body), "alice");
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        int n = 50;
        for (int i = 0; i < n; i++) {
            Answer answer = infer("mirror", "");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("model_version").asText()).isEqualTo("1");
        }
        var log = new InferenceLogQuery(reader);
        List<LoggedInference> shadow = waitFor(
                () -> log.byDeployment("mirror#shadow", from, Instant.now().plusSeconds(60), 10_000),
                rows -> rows.size() >= n);
        assertThat(shadow).hasSize(n).allSatisfy(row -> {
            assertThat(row.version()).isEqualTo("s");
            assertThat(row.status()).isEqualTo("OK");
        });
        List<LoggedInference> primary = waitFor(
                () -> log.byDeployment("mirror", from, Instant.now().plusSeconds(60), 10_000),
                rows -> rows.size() >= n);
        assertThat(primary).hasSize(n).allSatisfy(row -> assertThat(row.version())
                .isEqualTo("1"));
    }

    @Test
    void aBrokenCanaryIsRolledBackAutomaticallyWithTheMeasuredNumbers() {
        // The canary is an ONNX model whose signature does not take the requests the stable version takes.
        Map<String, Object> policy = Map.of("min_requests", 20, "max_error_rate", 0.1);
        Answer created = create("guarded", "bob", splits(split(xgb1, "1", 50), split(onnx, "2", 50)), policy);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            if (infer("guarded", "k" + i).status() != 200) {
                failed++;
            }
        }
        assertThat(failed).isPositive();

        JsonNode verdict = waitFor(
                () -> send("POST", "/api/v1/deployments/guarded/judge", "{}", "")
                        .json()
                        .get("verdicts"),
                v -> v.size() == 0 || !v.get(0).get("outcome").asText().equals("WAITING"));
        assertThat(verdict.get(0).get("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(verdict.get(0).get("error_rate").asDouble()).isEqualTo(1.0);

        JsonNode after = http.get("/api/v1/deployments/guarded").json();
        assertThat(after.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(after.get("routing").get("splits").toString()).contains("\"version\":\"1\",\"weight\":100");
        assertThat(after.get("routing").get("splits")).hasSize(1);

        JsonNode history =
                http.get("/api/v1/deployments/guarded/history").json().get("history");
        assertThat(history).hasSize(2);
        JsonNode last = history.get(1);
        assertThat(last.get("action").asText()).isEqualTo("AUTO_ROLLBACK");
        assertThat(last.get("actor").asText()).isEqualTo("cairn-canary");
        assertThat(last.get("reason").asText()).contains("canary '2'").contains("error rate 1.0000 (max 0.1000)");
        assertThat(last.get("at").asLong())
                .isGreaterThanOrEqualTo(history.get(0).get("at").asLong());

        for (int i = 0; i < 20; i++) {
            Answer answer = infer("guarded", "k" + i);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("model_version").asText()).isEqualTo("1");
        }
    }

    @Test
    void promotionMovesTrafficAndEveryChangeIsRecordedWithWhoAndWhen() {
        long start = System.currentTimeMillis();
        assertThat(create("promo", "carol", splits(split(xgb1, "1", 80), split(xgb2, "2", 20)), null)
                        .status())
                .isEqualTo(201);
        Answer promoted = send("POST", "/api/v1/deployments/promo/promote", "{}", "dave");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.json().get("status").asText()).isEqualTo("STABLE");
        assertThat(promoted.json().get("routing").get("stable").asText()).isEqualTo("2");
        for (int i = 0; i < 30; i++) {
            assertThat(infer("promo", "u" + i).json().get("model_version").asText())
                    .isEqualTo("2");
        }

        Answer scored = send("POST", "/invocations?model=promo", oneRowScoring, "");
        assertThat(scored.status()).as(scored.body()).isEqualTo(200);
        assertThat(scored.json().get("predictions")).hasSize(1);

        Answer canary = send(
                "PUT",
                "/api/v1/deployments/promo/traffic",
                HttpCalls.json(Map.of("splits", splits(split(xgb2, "2", 70), split(xgb1, "1", 30)))),
                "erin");
        assertThat(canary.status()).as(canary.body()).isEqualTo(200);
        assertThat(canary.json().get("status").asText()).isEqualTo("CANARY");
        Answer rolledBack = send("POST", "/api/v1/deployments/promo/rollback", "{\"reason\":\"drill\"}", "frank");
        assertThat(rolledBack.json().get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(rolledBack.json().get("routing").get("stable").asText()).isEqualTo("2");
        Answer noCanary = send("POST", "/api/v1/deployments/promo/rollback", "{}", "frank");
        assertThat(noCanary.status()).isEqualTo(400);
        assertThat(noCanary.json().get("error_code").asText()).isEqualTo("INVALID_STATE");

        JsonNode history = http.get("/api/v1/deployments/promo/history").json().get("history");
        assertThat(history).hasSize(4);
        assertThat(Stream.of(0, 1, 2, 3).map(i -> history.get(i).get("action").asText()))
                .containsExactly("CREATE", "PROMOTE", "SET_TRAFFIC", "ROLLBACK");
        assertThat(Stream.of(0, 1, 2, 3).map(i -> history.get(i).get("actor").asText()))
                .containsExactly("carol", "dave", "erin", "frank");
        assertThat(history.get(3).get("reason").asText()).isEqualTo("drill");
        long previous = start;
        for (JsonNode event : history) {
            assertThat(event.get("at").asLong()).isGreaterThanOrEqualTo(previous);
            previous = event.get("at").asLong();
        }
        Answer anonymous = send(
                "PUT",
                "/api/v1/deployments/promo/traffic",
                HttpCalls.json(Map.of("splits", splits(split(xgb2, "2", 100)))),
                "");
        assertThat(anonymous.json().get("updated_by").asText()).isEqualTo("anonymous");
    }

    @Test
    void aHealthyCanaryIsPromotedAutomaticallyAfterEnoughRequests() {
        Map<String, Object> policy = Map.of("min_requests", 20, "promote_after", 20);
        assertThat(create("auto", "gina", splits(split(xgb1, "1", 50), split(xgb2, "2", 50)), policy)
                        .status())
                .isEqualTo(201);
        for (int i = 0; i < 100; i++) {
            assertThat(infer("auto", "a" + i).status()).isEqualTo(200);
        }
        JsonNode verdict = waitFor(
                () -> send("POST", "/api/v1/deployments/auto/judge", "{}", "")
                        .json()
                        .get("verdicts"),
                v -> v.size() == 0 || !v.get(0).get("outcome").asText().equals("WAITING"));
        assertThat(verdict.get(0).get("outcome").asText()).isEqualTo("PROMOTED");
        JsonNode after = http.get("/api/v1/deployments/auto").json();
        assertThat(after.get("status").asText()).isEqualTo("STABLE");
        assertThat(after.get("routing").get("stable").asText()).isEqualTo("2");
        JsonNode history = http.get("/api/v1/deployments/auto/history").json().get("history");
        assertThat(history.get(history.size() - 1).get("action").asText()).isEqualTo("AUTO_PROMOTE");
    }

    @Test
    void badInputIsA4xxJsonErrorAndAFailedLoadKeepsThePreviousRouting() throws IOException {
        Answer unknownModel =
                create("bad", "", splits(split(temp.resolve("nowhere").toString(), "1", 100)), null);
        assertError(unknownModel, 404, "RESOURCE_DOES_NOT_EXIST", "nowhere");

        Answer notHundred = create("bad", "", splits(split(xgb1, "1", 60), split(xgb2, "2", 30)), null);
        assertError(notHundred, 400, "INVALID_PARAMETER_VALUE", "must sum to 100, got 90");

        assertError(http.get("/api/v1/deployments/ghost"), 404, "RESOURCE_DOES_NOT_EXIST", "'ghost'");
        assertError(
                send("POST", "/api/v1/deployments/ghost/promote", "{}", ""), 404, "RESOURCE_DOES_NOT_EXIST", "ghost");
        assertError(create("bad", "", null, null), 400, "INVALID_PARAMETER_VALUE", "'splits'");
        assertError(
                create("bad", "", splits(split("models:/flights/3", "", 100)), null),
                404,
                "RESOURCE_DOES_NOT_EXIST",
                "flights");
        assertError(
                create("bad", "", splits(split(xgb1, "1", 50), split(xgb2, "1", 50)), null),
                400,
                "INVALID_PARAMETER_VALUE",
                "appears twice");
        assertError(send("POST", "/api/v1/deployments", "{\"name\": ", ""), 400, "MALFORMED_REQUEST", "");

        assertThat(create("keep", "", splits(split(xgb1, "1", 100)), null).status())
                .isEqualTo(201);
        assertError(create("keep", "", splits(split(xgb1, "1", 100)), null), 400, "RESOURCE_ALREADY_EXISTS", "'keep'");
        Path broken = temp.resolve("broken");
        copy(Path.of(xgb2), broken);
        try (Stream<Path> files = Files.list(broken)) {
            Path model = files.filter(p -> p.getFileName().toString().startsWith("model"))
                    .findFirst()
                    .orElseThrow();
            Files.writeString(model, "not a booster");
        }
        Answer failedLoad = send(
                "PUT",
                "/api/v1/deployments/keep/traffic",
                HttpCalls.json(Map.of("splits", splits(split(xgb1, "1", 50), split(broken.toString(), "2", 50)))),
                "");
        assertThat(failedLoad.status()).as(failedLoad.body()).isBetween(400, 499);
        assertThat(failedLoad.json().has("error_code")).isTrue();
        assertError(
                send(
                        "PUT",
                        "/api/v1/deployments/keep/traffic",
                        HttpCalls.json(Map.of("splits", splits(split(xgb2, "1", 100)))),
                        ""),
                400,
                "INVALID_PARAMETER_VALUE",
                "new version label");
        JsonNode kept = http.get("/api/v1/deployments/keep").json();
        assertThat(kept.get("routing").get("splits")).hasSize(1);
        assertThat(http.get("/api/v1/deployments/keep/history").json().get("history"))
                .hasSize(1);
        for (int i = 0; i < 20; i++) {
            Answer answer = infer("keep", "x" + i);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("model_version").asText()).isEqualTo("1");
        }
        assertThat(http.get("/v2/models/ghost/infer").status()).isEqualTo(404);
    }

    static void assertError(Answer answer, int status, String code, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error_code").asText()).isEqualTo(code);
        assertThat(answer.json().get("message").asText()).contains(message);
    }

    static Answer create(String name, String user, List<Map<String, Object>> splits, Map<String, Object> policy) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        if (splits != null) {
            body.put("splits", splits);
        }
        if (policy != null) {
            body.put("policy", policy);
        }
        return send("POST", "/api/v1/deployments", HttpCalls.json(body), user);
    }

    static List<Map<String, Object>> splits(Map<String, Object> first) {
        return List.of(first);
    }

    static List<Map<String, Object>> splits(Map<String, Object> first, Map<String, Object> second) {
        return List.of(first, second);
    }

    static Map<String, Object> split(String model, String version, int weight) {
        var split = new LinkedHashMap<String, Object>();
        split.put("model", model);
        split.put("version", version);
        split.put("weight", weight);
        return split;
    }

    static Answer infer(String deployment, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(TestServers.baseUrl(server) + "/v2/models/" + deployment + "/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(oneRow));
        if (!key.isEmpty()) {
            request.header("X-Cairn-Routing-Key", key);
        }
        return http.send(request);
    }

    static Answer send(String method, String path, String body, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestServers.baseUrl(server) + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (!user.isEmpty()) {
            request.header(DeploymentRoutes.USER_HEADER, user);
        }
        return http.send(request);
    }

    /** Polls until the background writer has caught up; the bound only stops a broken test from hanging. */
    static <T> T waitFor(java.util.function.Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            value = read.get();
        }
        return value;
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
