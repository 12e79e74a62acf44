package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.ActiveRun;
import dev.cairn.client.Cairn;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn models card} in-process against a real server. */
@Timeout(120)
class ModelCardCommandTest {
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
                ActiveRun run = cairn.experiment("cards-cli").startRun("train")) {
            run.logParam("max_depth", "6").logMetric("train_auc", 0.8125);
            runId = run.id();
        }
        assertThat(cli("models", "register", "flights", "runs:/" + runId + "/model", "--description", "<b>xgb</b>")
                        .exitCode())
                .isZero();
        assertThat(cli("models", "alias", "flights", "champion", "1").exitCode())
                .isZero();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void printsTheMarkdownCardOfAVersionOrAnAlias() {
        CliResult card = cli("models", "card", "models:/flights/1");

        assertThat(card.exitCode()).as(card.err()).isZero();
        assertThat(card.out())
                .startsWith("# Model card: flights version 1\n")
                .contains("- **Version description:** &lt;b&gt;xgb&lt;/b&gt;")
                .contains(runId + " (train)", "| max_depth | 6 |", "| train_auc | 0.8125 | 0 |")
                .contains("_Not recorded: no evaluation is recorded on this version");
        CliResult byAlias = cli("models", "card", "models:/flights@champion");
        assertThat(byAlias.exitCode()).as(byAlias.err()).isZero();
        assertThat(byAlias.out()).startsWith("# Model card: flights version 1\n");
    }

    @Test
    void writesAnHtmlCardToAFile() throws Exception {
        Path file = home.resolve("card.html");

        CliResult result = cli("models", "card", "models:/flights/1", "--format", "html", "--output", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Wrote the model card of flights version 1 to " + file);
        String html = Files.readString(file);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<dd>&lt;b&gt;xgb&lt;/b&gt;</dd>")
                .endsWith("</html>\n");
    }

    @Test
    void unknownVersionsBadUrisAndFormatsFailWithTheServersMessage() {
        CliResult missing = cli("models", "card", "models:/flights/7");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("Model Version (name=flights, version=7) not found");
        CliResult format = cli("models", "card", "models:/flights/1", "--format", "pdf");
        assertThat(format.exitCode()).isNotZero();
        assertThat(format.err()).contains("'pdf'");
        CliResult uri = cli("models", "card", "runs:/" + runId + "/model");
        assertThat(uri.exitCode()).isNotZero();
        assertThat(uri.err()).contains("MODEL_URI must be models:/<name>/<version>");
    }

    private static CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--tracking-uri");
        all.add(url);
        return CliResult.run(all.toArray(String[]::new));
    }
}
