package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.client.ActiveRun;
import dev.cairn.client.Cairn;
import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cairn serve models:/...}: a registered version resolved in the store, downloaded and answering HTTP. */
@Timeout(180)
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)");
    /** One flights row in MLflow's dataframe_split format. */
    private static final String ONE_ROW = "{\"dataframe_split\":{\"columns\":[\"day_of_week\",\"dest_rate\","
            + "\"distance\",\"hour\",\"month\",\"origin_rate\"],\"data\":[[0.29,0.31,2.42,0.25,0.42,0.26]]}}";

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void servesARegisteredVersionByAliasWhileTheServerRuns() throws Exception {
        FlightsSample sample = FlightsSample.load();
        FlightModels.saveXGBoost(sample, work.resolve("model"));
        try (CairnServer server =
                CairnServer.start(ServerConfig.builder().home(home).port(0).build())) {
            String tracking = "http://127.0.0.1:" + server.port();
            String runId;
            try (Cairn cairn = Cairn.connect(tracking);
                    ActiveRun run = cairn.experiment("serve-cli").startRun("train")) {
                run.logArtifacts(work.resolve("model"), "model");
                runId = run.id();
            }
            assertOk(CliResult.run(
                    "models", "register", "flights", "runs:/" + runId + "/model", "--tracking-uri", tracking));
            assertOk(CliResult.run(
                    "models", "register", "flights", "runs:/" + runId + "/model", "--tracking-uri", tracking));
            assertOk(CliResult.run("models", "alias", "flights", "champion", "2", "--tracking-uri", tracking));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int[] exitCode = {-1};
            Thread command = serve(out, exitCode, "models:/flights@champion", "--port", "0", "--home", home.toString());
            String url = awaitUrl(out, command);

            HttpResponse<String> scored = post(url + "/invocations", ONE_ROW);
            assertThat(scored.statusCode()).as(scored.body()).isEqualTo(200);
            double probability =
                    JSON.readTree(scored.body()).get("predictions").get(0).asDouble();
            assertThat(probability).isBetween(0.0, 1.0);

            HttpResponse<String> metadata = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "/v2/models/flights"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            JsonNode versions = JSON.readTree(metadata.body()).get("versions");
            assertThat(versions.get(0).asText()).isEqualTo("2");
            assertThat(home.resolve("deployed-models/flights/2/cairn-model.json"))
                    .exists();

            command.interrupt();
            command.join();
            assertThat(exitCode[0]).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Serving flights version 2", "Stopped.");
        }
    }

    @Test
    void anUnknownAliasOrBadUriFailsInOneLineWithoutServing() {
        CliResult unknown = CliResult.run("serve", "models:/nope@champion", "--port", "0", "--home", home.toString());
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).startsWith("cairn: ").contains("nope");

        CliResult bad = CliResult.run("serve", "models:/flights", "--port", "0", "--home", home.toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("models:/NAME/VERSION or models:/NAME@ALIAS");
    }

    /** The sample rate reaches the inference log: every prediction logged at 1, none at 0. */
    @ParameterizedTest
    @CsvSource({"1, 3", "0, 0"})
    void theLogSampleRateDecidesWhatIsLogged(String rate, int logged) throws Exception {
        FlightModels.saveXGBoost(FlightsSample.load(), work.resolve("model"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread command = serve(
                out,
                new int[1],
                work.resolve("model").toString(),
                "--name",
                "flights",
                "--port",
                "0",
                "--home",
                home.toString(),
                "--log-sample-rate",
                rate);
        String url = awaitUrl(out, command);
        for (int i = 0; i < 3; i++) {
            assertThat(post(url + "/invocations", ONE_ROW).statusCode()).isEqualTo(200);
        }
        command.interrupt(); // stopping writes what the log holds
        command.join();

        try (Database database = Database.open(StoreUrl.parse("sqlite://" + home.resolve("cairn.db")))) {
            int rows = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inference_log")
                    .mapTo(Integer.class)
                    .one());
            assertThat(rows).isEqualTo(logged);
        }
    }

    @Test
    void aSampleRateOutsideZeroToOneIsRefusedNamingTheOption() {
        CliResult result = CliResult.run(
                "serve", work.toString(), "--port", "0", "--home", home.toString(), "--log-sample-rate", "1.5");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("--log-sample-rate must be between 0 and 1, got 1.5");
    }

    /** Starts {@code cairn serve ARGS} on a thread of its own, printing to {@code out}; its exit code goes to {@code exitCode[0]}. */
    private static Thread serve(ByteArrayOutputStream out, int[] exitCode, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "serve";
        System.arraycopy(args, 0, command, 1, args.length);
        Thread thread = new Thread(
                () -> exitCode[0] = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, command));
        thread.start();
        return thread;
    }

    private static void assertOk(CliResult result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String awaitUrl(ByteArrayOutputStream out, Thread command) throws InterruptedException {
        while (true) {
            Matcher matcher = URL.matcher(out.toString(StandardCharsets.UTF_8));
            if (matcher.find()) {
                return matcher.group(1);
            }
            assertThat(command.isAlive()).as("serve stopped early: " + out).isTrue();
            Thread.sleep(20);
        }
    }
}
