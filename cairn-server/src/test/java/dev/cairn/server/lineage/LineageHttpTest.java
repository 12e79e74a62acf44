package dev.cairn.server.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.TestServers;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.store.TestDatabases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LineageHttpTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aRequestIdLeadsBackToModelRunAndDataset(TestDatabases.Kind kind) {
        try (CairnServer server = TestServers.start(kind, home);
                Database db = Database.open(StoreUrl.parse(server.config().storeUrl()))) {
            LineageStore.of(db)
                    .record(List.of(
                            LineageEdge.of("cairn-dataset:/flights/3", EdgeType.CONSUMED, "runs:/r1"),
                            LineageEdge.of("runs:/r1", EdgeType.PRODUCED, "runs:/r1/artifacts/model"),
                            LineageEdge.of("runs:/r1/artifacts/model", EdgeType.REGISTERED_AS, "models:/delays/1"),
                            LineageEdge.of("models:/delays/1", EdgeType.PRODUCED, "requests:/q7")
                                    .withAttributes(Map.of("deployment", "delays"))));
            HttpCalls http = new HttpCalls(server);

            HttpCalls.Answer up = http.get("/api/v1/lineage?uri=" + encode("requests:/q7") + "&direction=up&depth=10");

            assertThat(up.status()).isEqualTo(200);
            JsonNode graph = up.json();
            assertThat(graph.path("root").asText()).isEqualTo("requests:/q7");
            List<String> nodes = new ArrayList<>();
            graph.path("nodes")
                    .forEach(n -> nodes.add(
                            n.path("uri").asText() + "@" + n.path("depth").asInt()));
            assertThat(nodes)
                    .containsExactlyInAnyOrder(
                            "requests:/q7@0",
                            "models:/delays/1@1",
                            "runs:/r1/artifacts/model@2",
                            "runs:/r1@3",
                            "cairn-dataset:/flights/3@4");
            assertThat(graph.path("edges")).hasSize(4);
            JsonNode first = graph.path("edges").get(0);
            assertThat(first.path("type").asText()).isEqualTo("produced");
            assertThat(first.path("attributes").path("deployment").asText()).isEqualTo("delays");

            JsonNode down = http.get(
                            "/api/v1/lineage?uri=" + encode("cairn-dataset:/flights/3") + "&direction=down&depth=1")
                    .json();
            assertThat(down.path("edges")).hasSize(1);
            assertThat(down.path("nodes").get(1).path("kind").asText()).isEqualTo("run");

            HttpCalls.Answer bad = http.get("/api/v1/lineage?uri=" + encode("runs:/r1") + "&direction=sideways");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(bad.json().path("message").asText()).contains("'sideways'");
            assertThat(http.get("/api/v1/lineage").status()).isEqualTo(400);
            assertThat(http.get("/api/v1/lineage?uri=" + encode("runs:/r1") + "&depth=many")
                            .json()
                            .path("message")
                            .asText())
                    .contains("'many'");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
