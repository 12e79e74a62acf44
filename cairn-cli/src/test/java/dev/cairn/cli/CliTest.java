package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.client.ActiveRun;
import dev.cairn.client.Cairn;
import dev.cairn.client.Experiment;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client commands, run in-process against a real server. */
@Timeout(120)
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    static CairnServer server;
    static String url;
    static List<String> runIds = new ArrayList<>();

    @BeforeAll
    static void startAndRecord() {
        server = CairnServer.start(ServerConfig.builder().home(home).port(0).build());
        url = "http://127.0.0.1:" + server.port();
        try (Cairn cairn = Cairn.connect(url)) {
            Experiment experiment = cairn.experiment("cli-flights");
            double[] accuracies = {0.8, 0.95, 0.9};
            for (int i = 0; i < accuracies.length; i++) {
                try (ActiveRun run = experiment.startRun("run-" + i)) {
                    run.logParam("model", i == 0 ? "linear" : "tree").logParam("seed", "42");
                    run.logMetric("acc", accuracies[i]).logMetric("loss", 1 - accuracies[i], 3);
                    runIds.add(run.id());
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void runsListFiltersAndOrdersIntoAnAlignedTable() {
        CliResult result = cli(
                "runs",
                "list",
                "-e",
                "cli-flights",
                "--filter",
                "metrics.acc > 0.85",
                "--order-by",
                "metrics.acc DESC");
        assertThat(result.exitCode()).isZero();
        List<String> lines = result.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("RUN ID").contains("STATUS", "metrics.acc", "metrics.loss");
        assertThat(lines.get(1)).startsWith(runIds.get(1)).contains("run-1", "FINISHED", "0.95");
        assertThat(lines.get(2)).startsWith(runIds.get(2)).contains("run-2", "0.9");
        int statusColumn = lines.get(0).indexOf("STATUS");
        assertThat(lines.get(1).indexOf("FINISHED")).isEqualTo(statusColumn);
        assertThat(lines.get(2).indexOf("FINISHED")).isEqualTo(statusColumn);
    }

    @Test
    void runsListPrintsJson() throws Exception {
        CliResult result = cli("runs", "list", "-e", "cli-flights", "--order-by", "metrics.acc", "--json");
        assertThat(result.exitCode()).isZero();
        JsonNode runs = JSON.readTree(result.out());
        assertThat(runs).hasSize(3);
        assertThat(runs.get(0).path("info").path("run_id").asText()).isEqualTo(runIds.get(0));
        assertThat(runs.get(0).path("metrics").path("acc").path("value").asDouble())
                .isEqualTo(0.8);
        assertThat(runs.get(2).path("params").path("model").asText()).isEqualTo("tree");
    }

    @Test
    void runsListShowsRequestedParamColumns() {
        CliResult result = cli("runs", "list", "-e", "cli-flights", "--param", "model", "--order-by", "metrics.acc");
        assertThat(result.lines().get(0)).contains("params.model");
        assertThat(result.lines().get(1)).contains("linear");
    }

    @Test
    void runsShowListsParamsMetricsAndTags() throws Exception {
        CliResult result = cli("runs", "show", runIds.get(1));
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("run-1", "FINISHED", "model", "tree", "acc", "0.95", "mlflow.user");

        JsonNode json =
                JSON.readTree(cli("runs", "show", runIds.get(1), "--json").out());
        assertThat(json.path("info").path("status").asText()).isEqualTo("FINISHED");
        assertThat(json.path("metrics").path("loss").path("step").asLong()).isEqualTo(3);
    }

    @Test
    void runsCompareMarksRowsThatDiffer() {
        CliResult result = cli("runs", "compare", runIds.get(0), runIds.get(1));
        assertThat(result.exitCode()).isZero();
        assertThat(result.lines().get(0)).contains("KEY", "run-0", "run-1");
        assertThat(line(result, "params.model")).startsWith("*").contains("linear", "tree");
        assertThat(line(result, "params.seed")).doesNotStartWith("*").contains("42");
        assertThat(line(result, "metrics.acc")).startsWith("*").contains("0.8", "0.95");
    }

    @Test
    void experimentsCreateListAndDelete() throws Exception {
        CliResult created = cli("experiments", "create", "cli-scratch");
        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).startsWith("Created experiment 'cli-scratch' with id ");

        JsonNode listed = JSON.readTree(cli("experiments", "list", "--json").out());
        assertThat(listed.findValuesAsText("name")).contains("cli-flights", "cli-scratch");
        assertThat(cli("experiments", "list").out()).contains("cli-scratch");

        CliResult again = cli("experiments", "create", "cli-scratch");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).startsWith("cairn: ").contains("cli-scratch");
        assertThat(again.err().lines()).hasSize(1);

        assertThat(cli("experiments", "delete", "cli-scratch").exitCode()).isZero();
        assertThat(cli("experiments", "list").out()).doesNotContain("cli-scratch");
        assertThat(cli("experiments", "list", "--view", "deleted_only").out()).contains("cli-scratch");
    }

    @Test
    void runsDeleteHidesTheRun() {
        String runId;
        try (Cairn cairn = Cairn.connect(url);
                ActiveRun run = cairn.experiment("cli-delete").startRun("doomed")) {
            runId = run.id();
        }
        CliResult deleted = cli("runs", "delete", runId);
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("Deleted run " + runId);
        assertThat(cli("runs", "list", "-e", "cli-delete").out()).doesNotContain(runId);
        assertThat(cli("runs", "list", "-e", "cli-delete", "--view", "all").out())
                .contains(runId);
    }

    @Test
    void trackingUriIsAcceptedBeforeOrAfterTheSubcommand() {
        assertThat(CliResult.run("--tracking-uri", url, "runs", "list", "-e", "cli-flights")
                        .lines())
                .hasSize(4);
        assertThat(CliResult.run("runs", "list", "-e", "cli-flights", "--tracking-uri", url)
                        .lines())
                .hasSize(4);
    }

    @Test
    void errorsAreOneLineOnStderrWithExitCodeOne() {
        CliResult unknownRun = cli("runs", "show", "ffffffffffffffffffffffffffffffff");
        assertThat(unknownRun.exitCode()).isEqualTo(1);
        assertThat(unknownRun.err().lines()).hasSize(1);
        assertThat(unknownRun.err()).startsWith("cairn: ").doesNotContain("Exception");

        CliResult badFilter = cli("runs", "list", "--filter", "metrics.acc >>> 1");
        assertThat(badFilter.exitCode()).isEqualTo(1);
        assertThat(badFilter.err().lines()).hasSize(1);

        CliResult badOption = cli("runs", "list", "--no-such-option");
        assertThat(badOption.exitCode()).isEqualTo(1);
        assertThat(badOption.err()).contains("--no-such-option").contains("cairn runs list --help");
        assertThat(badOption.err().lines()).hasSize(1);
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliResult result = cli("runs", "show", "ffffffffffffffffffffffffffffffff", "--verbose");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines().count()).isGreaterThan(1);
        assertThat(result.err()).contains("CairnClientException");
    }

    @Test
    void unreachableServerIsReportedInOneLine() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliResult result = CliResult.run("--tracking-uri", "http://127.0.0.1:" + closedPort, "experiments", "list");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("cairn: no answer from http://127.0.0.1:" + closedPort);
        assertThat(result.err().lines()).hasSize(1);
    }

    private static CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--tracking-uri");
        all.add(url);
        return CliResult.run(all.toArray(String[]::new));
    }

    private static String line(CliResult result, String key) {
        return result.lines().stream()
                .filter(l -> l.contains(" " + key + " ") || l.contains(" " + key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + key + " in\n" + result.out()));
    }
}
