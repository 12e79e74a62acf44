package dev.cairn.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.TestServers;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.store.TestDatabases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code POST /api/v1/monitors} with a dataset version of the server's store as the reference. */
class MonitorDatasetReferenceHttpTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aMonitorReadsItsReferenceFromADatasetVersionOverRest(TestDatabases.Kind kind) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../examples/data/flights-sample-6k.csv"));
        Path single = Files.createDirectories(home.resolve("data")).resolve("train.csv");
        Files.write(single, lines.subList(0, 801));
        Path pair = Files.createDirectories(home.resolve("pair"));
        Files.write(pair.resolve("early.csv"), lines.subList(0, 401));
        List<String> late = new ArrayList<>(lines.subList(0, 1));
        late.addAll(lines.subList(401, 801));
        Files.write(pair.resolve("late.csv"), late);
        try (CairnServer server = TestServers.start(kind, home);
                Database db = Database.open(StoreUrl.parse(server.config().storeUrl()))) {
            DatasetVersions versions =
                    new DatasetVersions(db, BlobStore.local(server.config().artifactsRoot()));
            DatasetVersion train = versions.add(new DatasetVersions.AddRequest(single, "delays-train", ""))
                    .version();
            versions.add(new DatasetVersions.AddRequest(pair, "delays-pair", ""));
            MonitorHttpTest.logServedFlights(db, lines);
            HttpCalls http = new HttpCalls(server);
            String spec = """
                    {"name": "%s", "deployment": "delays", "reference": "%s", "features": ["delay", "origin"],
                     "window_seconds": 7200}
                    """;

            HttpCalls.Answer ambiguous =
                    http.post("/api/v1/monitors", spec.formatted("m0", "cairn-dataset:/delays-pair/1"));
            assertThat(ambiguous.status()).isEqualTo(400);
            assertThat(ambiguous.json().path("message").asText()).contains("early.csv, late.csv");
            HttpCalls.Answer unknown = http.post("/api/v1/monitors", spec.formatted("m0", "cairn-dataset:/nope/1"));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().path("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
            assertThat(unknown.json().path("message").asText()).contains("dataset 'nope'");
            HttpCalls.Answer noFile =
                    http.post("/api/v1/monitors", spec.formatted("m0", "cairn-dataset:/delays-pair/1/middle.csv"));
            assertThat(noFile.status()).isEqualTo(404);
            assertThat(noFile.json().path("message").asText()).contains("'middle.csv'");
            assertThat(http.get("/api/v1/monitors").json().path("monitors")).isEmpty();

            HttpCalls.Answer created = http.post("/api/v1/monitors", spec.formatted("m1", train.uri()));
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().path("reference").asText()).isEqualTo("cairn-dataset:/delays-train/1");
            assertThat(http.post("/api/v1/monitors", spec.formatted("m2", "cairn-dataset:/delays-pair/1/late.csv"))
                            .status())
                    .isEqualTo(201);
            assertThat(home.resolve("cache/dataset-references")
                            .resolve(train.id())
                            .resolve("train.csv"))
                    .hasSameTextualContentAs(single);

            long end = MonitorHttpTest.T0.plusSeconds(7200).toEpochMilli();
            HttpCalls.Answer run = http.post("/api/v1/monitors/m1/run", "{\"end\": " + end + "}");
            assertThat(run.status()).isEqualTo(200);
            assertThat(run.json().path("row_count").asInt()).isEqualTo(200);
            assertThat(run.json().path("columns")).hasSize(2);

            String uri = URLEncoder.encode("monitors:/m1", StandardCharsets.UTF_8);
            HttpCalls.Answer lineage = http.get("/api/v1/lineage?uri=" + uri + "&direction=up&depth=1");
            assertThat(lineage.status()).isEqualTo(200);
            assertThat(lineage.body()).contains("cairn-dataset:/delays-train/1").contains("consumed");
        }
    }
}
