package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.HttpCalls.Answer;
import dev.cairn.store.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop on a real server: a champion serves early-2001 flights; later months are replayed
 * as live traffic over HTTP; the drift monitor fires; the retraining pipeline loaded from {@code
 * $CAIRN_HOME/pipelines/retrain} validates, trains, gates against the champion, registers and deploys a
 * canary; the canary passes its policy on more live traffic and is promoted automatically, and the
 * {@code champion} alias moves, all recorded in lineage, with no human step after the first champion.
 */
class ClosedLoopTest {
    static final Path FLIGHTS = Path.of("..", "examples", "data", "flights-sample-6k.csv");
    static final String PIPELINE = """
            name: retrain-delays
            params: {train_until: 5, holdout_month: 6}
            triggers: {alerts: [delays-drift]}
            steps:
              validate:
                uses: validate
                inputs: {data: flights.csv}
                with: {schema: schema.json}
                outputs: {report: out/validation.json}
              train:
                uses: train
                after: [validate]
                inputs: {data: flights.csv}
                with:
                  label: "delay > 15"
                  features: {hour: "hour(date)", distance: distance, month: "month(date)"}
                  where: "month(date) <= ${params.train_until}"
                  params: {max_depth: 3, eta: 0.2}
                  rounds: 40
                  seed: 7
                outputs: {model: out/model/}
              evaluate:
                uses: evaluate
                inputs: {model: steps.train.outputs.model, holdout: flights.csv}
                with:
                  champion: "models:/delays@champion"
                  gate: gate.yaml
                  where: "month(date) = ${params.holdout_month}"
                outputs: {evaluation: out/evaluation.json}
              register:
                uses: register
                inputs: {model: steps.train.outputs.model, evaluation: steps.evaluate.outputs.evaluation}
                with: {name: delays}
                outputs: {version: out/version.json}
              deploy:
                uses: deploy
                inputs: {version: steps.register.outputs.version}
                with: {deployment: delays, percent: 30, policy: {min_requests: 10, promote_after: 20}}
            """;

    @TempDir
    Path home;

    @Test
    void driftRetrainsGatesCanariesAndPromotesANewChampionWithNoHumanStep() throws Exception {
        List<String[]> flights = readFlights();
        Path pipelines = Files.createDirectories(home.resolve("pipelines").resolve("retrain"));
        Files.copy(FLIGHTS, pipelines.resolve("flights.csv"));
        Files.writeString(pipelines.resolve("cairn.yaml"), PIPELINE);
        Files.writeString(pipelines.resolve("gate.yaml"), """
                metrics: [{metric: auc, min: 0.55}]
                changes: [{metric: auc, absolute: 0.1}]
                """);
        dev.cairn.validation.SchemaInference.infer(FLIGHTS).write(pipelines.resolve("schema.json"));
        Path reference = Files.createDirectories(home.resolve("references")).resolve("early-2001.csv");
        Files.writeString(reference, referenceCsv(flights));

        try (CairnServer server = TestServers.start(TestDatabases.Kind.SQLITE, home)) {
            HttpCalls http = new HttpCalls(server);
            String base = TestServers.baseUrl(server);
            assertThat(http.get("/api/v1/pipelines")
                            .json()
                            .path("pipelines")
                            .get(0)
                            .path("name")
                            .asText())
                    .isEqualTo("retrain-delays");

            // The first champion: trained on January-March, the only step a person takes.
            JsonNode first = ok(http.post(
                            "/api/v1/pipelines/retrain-delays/runs",
                            "{\"params\": {\"train_until\": \"3\", \"holdout_month\": \"4\"}}"))
                    .json();
            assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
            ok(http.post(
                    "/api/2.0/mlflow/registered-models/alias",
                    "{\"name\": \"delays\", \"alias\": \"champion\", \"version\": \"1\"}"));
            ok(http.post("/api/v1/monitors", """
                    {"name": "delays-drift", "deployment": "delays", "reference": "%s",
                     "features": ["hour", "distance", "month"], "window_seconds": 3600, "retrain": true,
                     "rules": [{"name": "drift", "kind": "drift_share_above", "threshold": 0.3}]}
                    """.formatted(reference)));

            // Live traffic from May and June: the month feature has moved.
            List<String[]> later =
                    flights.stream().filter(f -> month(f) >= 5).limit(300).toList();
            for (int i = 0; i < later.size(); i++) {
                ok(infer(http, base, later.get(i), "replay-" + i));
            }
            JsonNode window = await(
                    () -> ok(http.post("/api/v1/monitors/delays-drift/run", "{}"))
                            .json(),
                    r -> r.path("row_count").asLong() >= later.size() || alertFired(http));
            assertThat(alertFired(http)).as(window.toString()).isTrue();

            // The alert starts the retraining pipeline; it ends with a canary beside the champion.
            JsonNode canary =
                    await(() -> ok(http.get("/api/v1/deployments/delays")).json(), d -> d.toString()
                            .contains("\"2\""));
            assertThat(canary.toString()).contains("models:/delays/2");
            assertThat(alias(http)).isEqualTo("1");

            // More live traffic: the canary takes its share, passes its policy and is promoted.
            int[] sent = {0};
            JsonNode promoted = await(
                    () -> {
                        for (int i = 0; i < 40; i++, sent[0]++) {
                            ok(infer(http, base, later.get(sent[0] % later.size()), "canary-" + sent[0]));
                        }
                        ok(http.post("/api/v1/deployments/delays/judge", "{}"));
                        return ok(http.get("/api/v1/deployments/delays")).json();
                    },
                    d -> d.path("status").asText().equalsIgnoreCase("stable")
                            && d.toString().contains("models:/delays/2"));
            assertThat(promoted.toString()).doesNotContain("models:/delays/1");
            assertThat(alias(http)).isEqualTo("2");
            JsonNode version = ok(http.get("/api/2.0/mlflow/model-versions/get?name=delays&version=2"))
                    .json()
                    .path("model_version");
            assertThat(tags(version))
                    .containsEntry("cairn.champion.promoted_by", "cairn-canary")
                    .containsEntry("cairn.blessing", "BLESSED")
                    .containsKey("cairn.champion.verdict");
            JsonNode history =
                    ok(http.get("/api/v1/deployments/delays/history")).json();
            assertThat(history.toString()).contains("AUTO_PROMOTE", "cairn-canary");

            // Lineage: monitor -> triggered_by -> pipeline run -> produced -> registered_as -> deployed_as.
            JsonNode lineage = await(
                    () -> ok(http.get("/api/v1/lineage?uri=monitors:/delays-drift&direction=down&depth=5"))
                            .json(),
                    g -> g.toString().contains("deployments:/delays"));
            List<String> path = new ArrayList<>();
            for (JsonNode e : lineage.path("edges")) {
                path.add(e.path("type").asText() + " " + e.path("target").asText());
            }
            assertThat(path).anyMatch(p -> p.startsWith("triggered_by runs:/"));
            assertThat(path).anyMatch(p -> p.startsWith("produced runs:/") && p.endsWith("/artifacts/model"));
            assertThat(path).contains("registered_as models:/delays/2", "deployed_as deployments:/delays");
        }
    }

    private static boolean alertFired(HttpCalls http) {
        return ok(http.get("/api/v1/monitors/delays-drift/alerts")).body().contains("firing");
    }

    private static String alias(HttpCalls http) {
        return ok(http.get("/api/2.0/mlflow/registered-models/alias?name=delays&alias=champion"))
                .json()
                .path("model_version")
                .path("version")
                .asText();
    }

    private static Map<String, String> tags(JsonNode version) {
        Map<String, String> out = new LinkedHashMap<>();
        version.path("tags")
                .forEach(t -> out.put(t.path("key").asText(), t.path("value").asText()));
        return out;
    }

    private static Answer infer(HttpCalls http, String base, String[] flight, String key) {
        List<Map<String, Object>> inputs = List.of(
                column("hour", hour(flight)),
                column("distance", Float.parseFloat(flight[2])),
                column("month", month(flight)));
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/delays/infer"))
                .header("Content-Type", "application/json")
                .header("X-Cairn-Routing-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(HttpCalls.json(Map.of("inputs", inputs)))));
    }

    private static Map<String, Object> column(String name, float value) {
        return Map.of("name", name, "datatype", "FP32", "shape", List.of(1), "data", List.of(value));
    }

    private static Answer ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
        return answer;
    }

    /** Polls until {@code done} holds (the server works on its own threads), failing after two minutes. */
    private static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> done) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofMinutes(2));
        JsonNode last = read.get();
        while (!done.test(last) && Instant.now().isBefore(end)) {
            Thread.sleep(250);
            last = read.get();
        }
        assertThat(done.test(last)).as("still waiting: " + last).isTrue();
        return last;
    }

    private static List<String[]> readFlights() throws Exception {
        List<String> lines = Files.readAllLines(FLIGHTS);
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
    }

    private static String referenceCsv(List<String[]> flights) {
        StringBuilder csv = new StringBuilder("hour,distance,month\n");
        flights.stream().filter(f -> month(f) <= 3).forEach(f -> csv.append((int) hour(f))
                .append(',')
                .append(f[2])
                .append(',')
                .append((int) month(f))
                .append('\n'));
        return csv.toString();
    }

    private static float hour(String[] flight) {
        return Integer.parseInt(flight[0].substring(11, 13));
    }

    private static float month(String[] flight) {
        return Integer.parseInt(flight[0].substring(5, 7));
    }
}
