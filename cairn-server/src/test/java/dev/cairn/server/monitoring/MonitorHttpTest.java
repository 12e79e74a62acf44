package dev.cairn.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.models.Tensor;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.TestServers;
import dev.cairn.serving.InferenceLog;
import dev.cairn.serving.InferenceRecord;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MonitorHttpTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void monitorsFeedbackRunsAndResultsOverRest(TestDatabases.Kind kind) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../examples/data/flights-sample-6k.csv"));
        Path reference = Files.createDirectories(home.resolve("references")).resolve("reference.csv");
        Files.write(reference, lines.subList(0, 801));
        try (CairnServer server = TestServers.start(kind, home);
                Database db = Database.open(StoreUrl.parse(server.config().storeUrl()))) {
            logServedFlights(db, lines);
            HttpCalls http = new HttpCalls(server);
            String spec = """
                    {"name": "m1", "deployment": "delays", "reference": "%s", "features": ["delay", "origin"],
                     "window_seconds": 7200,
                     "rules": [{"name": "acc", "kind": "metric_below", "metric": "accuracy", "threshold": 0.99, "windows": 1}]}
                    """.formatted(reference);

            HttpCalls.Answer created = http.post("/api/v1/monitors", spec);
            assertThat(created.status()).isEqualTo(201);
            assertThat(http.post("/api/v1/monitors", spec)
                            .json()
                            .path("error_code")
                            .asText())
                    .isEqualTo("RESOURCE_ALREADY_EXISTS");
            HttpCalls.Answer badKind = http.post(
                    "/api/v1/monitors", spec.replace("\"m1\"", "\"m2\"").replace("metric_below", "sideways"));
            assertThat(badKind.status()).isEqualTo(400);
            assertThat(badKind.json().path("message").asText()).contains("'sideways'");
            Path outside = home.resolve("outside.csv");
            Files.write(outside, lines.subList(0, 801));
            Files.createSymbolicLink(home.resolve("references").resolve("link.csv"), outside);
            for (String escape : List.of(outside.toString(), "../outside.csv", "link.csv", "/etc/passwd")) {
                HttpCalls.Answer refused = http.post(
                        "/api/v1/monitors", spec.replace("\"m1\"", "\"m3\"").replace(reference.toString(), escape));
                assertThat(refused.status()).as(escape).isEqualTo(400);
                assertThat(refused.json().path("message").asText()).as(escape).contains("reference");
            }
            HttpCalls.Answer badFeature = http.post(
                    "/api/v1/monitors", spec.replace("\"m1\"", "\"m3\"").replace("\"origin\"]", "\"nope\"]"));
            assertThat(badFeature.json().path("message").asText()).contains("'nope'");
            assertThat(http.post("/api/v1/monitors", "{\"name\": \"m4\"}")
                            .json()
                            .path("message")
                            .asText())
                    .contains("deployment");
            assertThat(http.post("/api/v1/monitors", "[1").status()).isEqualTo(400);

            HttpCalls.Answer feedback = http.post("/api/v1/feedback", """
                    {"labels": [{"request_id": "r801", "label": 1}, {"request_id": "r802", "label": "0"},
                                {"request_id": "r803", "label": true}, {"request_id": "ghost", "label": 1}]}
                    """);
            assertThat(feedback.status()).isEqualTo(200);
            assertThat(feedback.json().path("accepted").asInt()).isEqualTo(3);
            assertThat(feedback.json().path("unknown_request_ids").get(0).asText())
                    .isEqualTo("ghost");
            assertThat(http.post("/api/v1/feedback", "{\"labels\": [{\"request_id\": \"r801\", \"label\": 0}]}")
                            .json()
                            .path("duplicates")
                            .asInt())
                    .isEqualTo(1);
            assertThat(http.post("/api/v1/feedback", "{\"labels\": [{\"label\": 0}]}")
                            .status())
                    .isEqualTo(400);
            assertThat(http.post("/api/v1/feedback", "{\"labels\": 3}").status())
                    .isEqualTo(400);

            long end = T0.plusSeconds(7200).toEpochMilli();
            HttpCalls.Answer run = http.post("/api/v1/monitors/m1/run", "{\"end\": " + end + "}");
            assertThat(run.status()).isEqualTo(200);
            JsonNode result = run.json();
            assertThat(result.path("row_count").asInt()).isEqualTo(200);
            assertThat(result.path("labeled_count").asInt()).isEqualTo(3);
            // r801 predicted 1 (label 1), r802 predicted 0 (label 0), r803 predicted 1 (label true)
            assertThat(result.path("metrics").path("overall").path("accuracy").asDouble())
                    .isEqualTo(1.0);
            assertThat(result.path("columns")).hasSize(2);
            assertThat(http.post("/api/v1/monitors/m1/run", "{\"end\": \"soon\"}")
                            .status())
                    .isEqualTo(400);
            assertThat(http.post("/api/v1/monitors/ghost/run", "{}").status()).isEqualTo(404);

            JsonNode series = http.get("/api/v1/monitors/m1/results?limit=10").json();
            assertThat(series.path("results")).hasSize(1);
            assertThat(http.get("/api/v1/monitors/m1/results?limit=x").status()).isEqualTo(400);
            assertThat(http.get("/api/v1/monitors/m1/alerts").json().path("alerts"))
                    .isEmpty();
            assertThat(http.get("/api/v1/monitors").json().path("monitors")).hasSize(1);
            assertThat(http.get("/api/v1/monitors/m1").json().path("features")).hasSize(2);
        }
    }

    /** Rows 801-1000 of the flights sample, logged as answered by deployment "delays" (one second apart from T0). */
    static void logServedFlights(Database db, List<String> lines) {
        try (InferenceLog log = InferenceLog.open(db, ServingConfig.defaults())) {
            for (int i = 801; i < 1001; i++) {
                String[] f = lines.get(i).split(",");
                log.accept(new InferenceRecord(
                        "r" + i,
                        "delays",
                        "delays",
                        "1",
                        T0.plusSeconds(i),
                        50,
                        "OK",
                        List.of(
                                Tensor.ofDoubles("delay", new double[] {Double.parseDouble(f[1])}, 1),
                                Tensor.ofStrings("origin", new String[] {f[3]}, 1)),
                        List.of(Tensor.ofDoubles("p", new double[] {i % 2}, 1)),
                        ""));
            }
            log.flush(30_000);
        }
    }
}
