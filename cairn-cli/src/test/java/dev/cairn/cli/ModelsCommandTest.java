package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.client.ActiveRun;
import dev.cairn.client.Cairn;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn models ...} in-process against a real server. */
@Timeout(120)
class ModelsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    static CairnServer server;
    static String url;
    static String runId;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().home(home).port(0).build());
        url = "http://127.0.0.1:" + server.port();
        try (Cairn cairn = Cairn.connect(url);
                ActiveRun run = cairn.experiment("models-cli").startRun("train")) {
            runId = run.id();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void registerAliasListShowAndVersions() throws Exception {
        CliResult first = cli("models", "register", "flights", "runs:/" + runId + "/model", "--description", "xgb");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Registered flights version 1");
        assertThat(cli("models", "register", "flights", "runs:/" + runId + "/model")
                        .out())
                .contains("version 2");

        CliResult alias = cli("models", "alias", "flights", "champion", "2");
        assertThat(alias.exitCode()).as(alias.err()).isZero();
        assertThat(alias.out()).contains("models:/flights@champion -> version 2");

        CliResult list = cli("models", "list");
        assertThat(list.lines().get(0)).startsWith("NAME").contains("LATEST", "ALIASES");
        assertThat(list.lines().get(1)).startsWith("flights").contains("None=2", "champion=2");

        CliResult show = cli("models", "show", "flights", "--json");
        JsonNode model = JSON.readTree(show.out());
        assertThat(model.get("name").asText()).isEqualTo("flights");
        assertThat(model.get("aliases").get(0).get("alias").asText()).isEqualTo("champion");

        CliResult versions = cli("models", "versions", "flights");
        List<String> lines = versions.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).strip()).startsWith("2 ").contains("champion", runId);
        assertThat(lines.get(2).strip()).startsWith("1 ").contains("runs:/" + runId + "/model");

        assertThat(cli("models", "alias", "flights", "champion", "--delete").exitCode())
                .isZero();
        assertThat(JSON.readTree(cli("models", "show", "flights", "--json").out())
                        .has("aliases"))
                .isFalse();
    }

    @Test
    void aSourceOutsideTheServersArtifactsFailsWithItsMessage() {
        CliResult refused = cli("models", "register", "stolen", "file:///etc/passwd");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("Invalid model version source");
        CliResult missing = cli("models", "show", "nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("Registered Model with name=nope not found");
    }

    private static CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--tracking-uri");
        all.add(url);
        return CliResult.run(all.toArray(String[]::new));
    }
}
