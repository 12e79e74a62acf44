package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.Cairn;
import dev.cairn.client.ExperimentInfo;
import dev.cairn.client.Run;
import dev.cairn.client.RunQuery;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn server} and {@code cairn demo} in-process, on free ports and temporary homes. */
@Timeout(120)
class ServerAndDemoCommandTest {
    private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void serverServesUntilInterruptedThenStopsCleanly(@TempDir Path home) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] exitCode = {-1};
        Thread command = new Thread(() -> exitCode[0] = Main.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err,
                "server",
                "--port",
                "0",
                "--home",
                home.toString()));
        command.start();
        String url = awaitUrl(out);

        try (Cairn cairn = Cairn.connect(url)) {
            assertThat(cairn.experiment("served").id()).isNotEmpty();
        }
        command.interrupt();
        command.join();

        assertThat(exitCode[0]).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Stopped.");
        assertThat(home.resolve("cairn.db")).exists();
    }

    @Test
    void demoRecordsAnExampleExperimentAndExits(@TempDir Path home) {
        CliResult result = CliResult.run("demo", "--exit", "--port", "0", "--home", home.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Recorded experiment 'cairn-demo'", "MLFLOW_TRACKING_URI=");

        try (CairnServer server = CairnServer.start(
                        ServerConfig.builder().home(home).port(0).build());
                Cairn cairn = Cairn.connect("http://127.0.0.1:" + server.port())) {
            ExperimentInfo demo = cairn.experiments().resolve(DemoCommand.EXPERIMENT);
            List<Run> runs = cairn.runs()
                    .search(RunQuery.builder().experimentId(demo.experimentId()).build());
            assertThat(runs).hasSize(4);
            Run nested = runs.stream()
                    .filter(r -> r.parentRunId().isPresent())
                    .findFirst()
                    .orElseThrow();
            assertThat(nested.params()).containsKey("learning_rate");
            assertThat(cairn.runs().metricHistory(nested.id(), "val_loss")).hasSize(20);
            assertThat(cairn.runs().listArtifacts(nested.id(), "reports")).hasSize(1);
        }
    }

    @Test
    void serverRejectsAnInvalidStoreUrlInOneLine(@TempDir Path home) {
        CliResult result = CliResult.run("server", "--port", "0", "--home", home.toString(), "--store", "mysql://x");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("cairn: ").contains("mysql://x");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void storePasswordsAreNotPrinted() {
        assertThat(ServerCommand.redacted("postgresql://cairn:s3cret@db:5432/cairn"))
                .isEqualTo("postgresql://cairn:***@db:5432/cairn");
        assertThat(ServerCommand.redacted("jdbc:postgresql://db/cairn?user=cairn&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db/cairn?user=cairn&password=***");
    }

    private static String awaitUrl(ByteArrayOutputStream out) throws InterruptedException {
        while (true) {
            Matcher matcher = URL.matcher(out.toString(StandardCharsets.UTF_8));
            if (matcher.find()) {
                return matcher.group(1);
            }
            Thread.sleep(20);
        }
    }
}
