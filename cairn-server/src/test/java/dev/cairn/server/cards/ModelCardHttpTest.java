package dev.cairn.server.cards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.cards.EvaluationRecords;
import dev.cairn.cards.ModelCards;
import dev.cairn.evaluation.EvaluationGate;
import dev.cairn.evaluation.GatedEvaluation;
import dev.cairn.evaluation.HoldoutEvaluation;
import dev.cairn.evaluation.Scorer;
import dev.cairn.models.GateFlavor;
import dev.cairn.registry.NewModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.TestServers;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.Param;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code GET /api/v1/model-cards/{name}/{version}} over a real server, with a deployment and a monitor made over REST. */
class ModelCardHttpTest {
    static final Path FLIGHTS = Path.of("..", "examples", "data", "flights-sample-6k.csv");

    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void cardsAreServedAsMarkdownAndHtmlWithJsonErrors(TestDatabases.Kind kind) throws Exception {
        try (CairnServer server = TestServers.start(kind, home);
                Database db = Database.open(StoreUrl.parse(server.config().storeUrl()))) {
            GatedEvaluation evaluation = record(db, server);
            HttpCalls http = new HttpCalls(server);
            assertThat(http.post(
                                    "/api/v1/deployments",
                                    "{\"name\": \"delays-prod\", \"splits\": [{\"model\": \"models:/delays/1\","
                                            + " \"weight\": 100}]}")
                            .status())
                    .isEqualTo(201);
            Path reference = Files.createDirectories(home.resolve("references")).resolve("reference.csv");
            Files.write(reference, Files.readAllLines(FLIGHTS).subList(0, 500));
            assertThat(http.post(
                                    "/api/v1/monitors",
                                    "{\"name\": \"delays-drift\", \"deployment\": \"delays-prod\", \"reference\":"
                                            + " \"" + reference + "\", \"features\": [\"delay\", \"distance\"],"
                                            + " \"window_seconds\": 3600}")
                            .status())
                    .isEqualTo(201);
            assertThat(http.post("/api/v1/monitors/delays-drift/run", "{\"end\": 1767225600000}")
                            .status())
                    .isEqualTo(200);

            HttpCalls.Answer markdown = http.get("/api/v1/model-cards/delays/1");

            assertThat(markdown.status()).as(markdown.body()).isEqualTo(200);
            assertThat(markdown.contentType()).startsWith("text/markdown");
            assertThat(markdown.body())
                    .startsWith("# Model card: delays version 1\n")
                    .contains("- **Flavor:** test-gate", "| max_depth | 6 |", "| train_auc | 0.8125 | 2 |")
                    .contains("## Intended use\n\nRank flights by delay risk.\n")
                    .contains("| rows | " + evaluation.result().overall().count() + " |")
                    .contains("- **Outcome:** " + evaluation.blessing().verdict())
                    .contains("| delays-prod | STABLE | stable | models:/delays/1 | 1 | 100 |")
                    .contains("### Monitor delays-drift of deployment delays-prod", "| NO_DATA |");

            HttpResponse<String> html = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            TestServers.baseUrl(server) + "/api/v1/model-cards/delays/1?format=HTML"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(html.statusCode()).isEqualTo(200);
            assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(html.headers().firstValue("Content-Security-Policy").orElse(""))
                    .isEqualTo("default-src 'none'; style-src 'unsafe-inline'");
            assertThat(html.body())
                    .startsWith("<!DOCTYPE html>")
                    .contains("<h2>Quantitative analyses</h2>", "<td>delays-prod</td>")
                    .doesNotContain("<script");

            assertError(http.get("/api/v1/model-cards/delays/9"), 404, "RESOURCE_DOES_NOT_EXIST", "");
            assertError(http.get("/api/v1/model-cards/nobody/1"), 404, "RESOURCE_DOES_NOT_EXIST", "nobody");
            assertError(http.get("/api/v1/model-cards/delays/1?format=pdf"), 400, "INVALID_PARAMETER_VALUE", "'pdf'");
            assertError(http.get("/api/v1/model-cards/delays/one"), 400, "INVALID_PARAMETER_VALUE", "one");
        }
    }

    private static void assertError(HttpCalls.Answer answer, int status, String code, String inMessage) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().path("error_code").asText()).isEqualTo(code);
        assertThat(answer.json().path("message").asText()).contains(inMessage);
    }

    /** A run with parameters and a metric, a model package registered from it, and its evaluation. */
    private static GatedEvaluation record(Database db, CairnServer server) throws Exception {
        TrackingStore tracking = TrackingStore.on(db);
        RegistryStore registry = RegistryStore.on(db, tracking);
        ArtifactRepository artifacts =
                ArtifactRepository.over(db, BlobStore.local(server.config().artifactsRoot()));
        String experiment = tracking.createExperiment("delays", Optional.empty(), List.of());
        String run = tracking.createRun(new NewRun(experiment, "alice", 0, Optional.of("train"), List.of()))
                .info()
                .runId();
        tracking.logBatch(
                run, List.of(new Metric("train_auc", 0.8125, 0, 2)), List.of(new Param("max_depth", "6")), List.of());
        Path model = GateFlavor.write(server.config().artifactsRoot().resolveSibling("package"));
        try (Stream<Path> files = Files.list(model)) {
            for (Path file : files.toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    artifacts.put(
                            ArtifactRoot.ofRun(experiment, run), ArtifactPath.of("model/" + file.getFileName()), in);
                }
            }
        }
        registry.createRegisteredModel(
                "delays", List.of(new Tag(ModelCards.INTENDED_USE_TAG, "Rank flights by delay risk.")), "");
        registry.createModelVersion(NewModelVersion.of("delays", "runs:/" + run + "/model"));
        GatedEvaluation evaluation = HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                .candidate(Scorer.perRow(row -> Math.min(1.0, row.number("distance") / 3000.0)))
                .sliceBy("origin")
                .minSliceSize(150)
                .fairnessAcross("origin")
                .bless(EvaluationGate.parse("{\"metrics\": [{\"metric\": \"auc\", \"min\": 0.5}]}"));
        EvaluationRecords.record(registry, tracking, artifacts, "delays", 1, run, evaluation, "");
        return evaluation;
    }
}
