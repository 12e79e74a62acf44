package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
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

/** {@code cairn deploy ...} in-process against a real server serving real XGBoost packages. */
@Timeout(120)
class DeployCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    static CairnServer server;
    static String url;
    static Path v1;
    static Path v2;

    @BeforeAll
    static void start() {
        FlightsSample sample = FlightsSample.load();
        v1 = home.resolve("v1");
        v2 = home.resolve("v2");
        FlightModels.saveXGBoost(sample, v1);
        FlightModels.saveXGBoost(sample, v2);
        server = CairnServer.start(
                ServerConfig.builder().home(home.resolve("cairn")).port(0).build());
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createShowSetTrafficPromoteRollbackAndHistory() throws Exception {
        CliResult created = cli(
                "alice",
                "deploy",
                "create",
                "flights",
                "--split",
                "1:90:" + v1,
                "--split",
                "2:10:" + v2,
                "--min-requests",
                "30");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("CANARY").contains("1=90 2=10").contains("min_requests=30");

        CliResult list = cli("bob", "deploy", "list");
        assertThat(list.lines().get(0)).startsWith("NAME").contains("STATUS", "TRAFFIC");
        assertThat(list.lines().get(1)).startsWith("flights").contains("CANARY", "1=90 2=10", "alice");

        CliResult traffic =
                cli("bob", "deploy", "set-traffic", "flights", "--split", "1:50:" + v1, "--split", "2:50:" + v2);
        assertThat(traffic.exitCode()).as(traffic.err()).isZero();
        assertThat(traffic.out()).contains("1=50 2=50").contains("min_requests=30");

        CliResult rollback = cli("carol", "deploy", "rollback", "flights", "--reason", "latency spike");
        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("ROLLED_BACK").contains("1=100");

        assertThat(cli("dave", "deploy", "set-traffic", "flights", "--split", "1:80:" + v1, "--split", "2:20:" + v2)
                        .exitCode())
                .isZero();
        CliResult promote = cli("erin", "deploy", "promote", "flights", "--json");
        assertThat(promote.exitCode()).as(promote.err()).isZero();
        JsonNode promoted = JSON.readTree(promote.out());
        assertThat(promoted.get("status").asText()).isEqualTo("STABLE");
        assertThat(promoted.get("routing").get("stable").asText()).isEqualTo("2");

        CliResult history = cli("frank", "deploy", "history", "flights");
        List<String> lines = history.lines();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("ID").contains("AT", "ACTION", "ACTOR", "TRAFFIC", "REASON");
        List<String> actions = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            actions.add(line.split("\\s{2,}")[2] + " " + line.split("\\s{2,}")[3]);
        }
        assertThat(actions)
                .containsExactly(
                        "CREATE alice", "SET_TRAFFIC bob", "ROLLBACK carol", "SET_TRAFFIC dave", "PROMOTE erin");
        assertThat(lines.get(3)).contains("latency spike");

        CliResult show = cli("frank", "deploy", "show", "flights");
        assertThat(show.out()).contains("STABLE").contains("by erin").contains(v2.toString());
    }

    @Test
    void errorsAreOneLineMessagesWithExitCodeOne() {
        CliResult unknown = cli("x", "deploy", "show", "nowhere");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("deployment 'nowhere' does not exist");

        CliResult notHundred = cli("x", "deploy", "create", "bad", "--split", "1:60:" + v1);
        assertThat(notHundred.exitCode()).isEqualTo(1);
        assertThat(notHundred.err()).contains("must sum to 100, got 60");

        CliResult malformed = cli("x", "deploy", "create", "bad", "--split", "1=" + v1);
        assertThat(malformed.exitCode()).isEqualTo(1);
        assertThat(malformed.err()).contains("VERSION:WEIGHT:MODEL");
    }

    private static CliResult cli(String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--tracking-uri");
        all.add(url);
        all.add("--user");
        all.add(user);
        return CliResult.run(all.toArray(String[]::new));
    }
}
