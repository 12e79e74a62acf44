package dev.cairn.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.demo.DemoStory;
import dev.cairn.lineage.LineageUri;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cairn demo}: the whole life of a flight-delay model on a running server, from versioned
 * data to a retrained champion after drift, then keeps serving until Ctrl-C.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Train, serve, monitor and retrain a flight-delay model end to end, then keep serving until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {
    static final String SAMPLE = "examples/data/flights-sample-6k.csv";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ListenOptions listen;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description =
                    "Flights CSV (date,delay,distance,origin,destination; months 1-6) instead of the committed sample.")
    private Path data;

    @Option(names = "--exit", description = "Stop once the story is told instead of serving until Ctrl-C.")
    private boolean exit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dataHome = listen.home();
        Path flights = flights();
        ServerConfig config = listen.config().build();
        long started = System.nanoTime();
        quietAccessLog();
        out.println("Cairn demo: predicting flight delays (US domestic flights, January-June 2001)");
        out.println("data: " + flights);
        DemoStory.stage(out, 1, "Starting the Cairn server (embedded SQLite store and local artifacts)");
        Database database = Database.open(StoreUrl.parse(config.storeUrl()));
        try (ForegroundServer server = ForegroundServer.start(config, database)) {
            out.println("      Cairn server listening on " + server.url() + " (data in " + dataHome + ")");
            out.flush();
            DemoStory.Setting setting = new DemoStory.Setting(
                    server.url(),
                    server.server().inference(),
                    database,
                    BlobStore.local(config.artifactsRoot()),
                    dataHome.resolve("demo"),
                    flights);
            DemoStory.Outcome outcome = DemoStory.tell(setting, out);
            printWhereToLook(out, server.url(), dataHome, outcome, started);
            if (!exit) {
                out.println("Serving " + DemoStory.MODEL + " version " + outcome.servingVersion() + " until Ctrl-C.");
                out.flush();
                server.serveUntilStopped(out);
            }
            return 0;
        }
    }

    /** The story prints what happens; one access-log line per request would bury it, unless asked for. */
    private static void quietAccessLog() {
        if (System.getenv("CAIRN_LOG_LEVEL") == null
                && LoggerFactory.getLogger("dev.cairn.server.access") instanceof Logger access) {
            access.setLevel(Level.WARN);
        }
    }

    /** {@code --data}, else the committed sample found from the working directory or the distribution upwards. */
    private Path flights() {
        if (data != null) {
            if (!Files.isRegularFile(data)) {
                throw CairnException.invalid("--data: no such file " + data);
            }
            return data.toAbsolutePath();
        }
        return findUpwards(Path.of("").toAbsolutePath())
                .or(() -> distribution().flatMap(DemoCommand::findUpwards))
                .orElseThrow(() -> CairnException.invalid("cannot find " + SAMPLE + " above "
                        + Path.of("").toAbsolutePath() + "; run from the Cairn repository or pass --data FILE"));
    }

    private static Optional<Path> findUpwards(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SAMPLE);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> distribution() {
        try {
            return Optional.of(Path.of(DemoCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI()));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void printWhereToLook(
            PrintWriter out, String url, Path dataHome, DemoStory.Outcome outcome, long started) {
        String homeOption = " --home " + dataHome;
        DemoStory.stage(out, 9, "Where to look");
        out.println("      server:     " + url + "   (MLflow REST, OIP v2 /v2/models/" + DemoStory.MODEL
                + "/infer, lineage /api/v1/lineage)");
        out.println(
                "      runs:       ./cairn runs list --experiment " + DemoStory.EXPERIMENT + " --tracking-uri " + url);
        out.println("                  ./cairn runs show "
                + outcome.retrainRunId().orElse(outcome.trainingRunId()) + " --tracking-uri " + url);
        out.println("      data:       ./cairn data list" + homeOption);
        out.println("      lineage:    ./cairn lineage " + outcome.servingModelUri() + " --up" + homeOption);
        out.println("      predict:    curl -s " + url + "/v2/models/" + DemoStory.MODEL);
        out.println("      Python:     export MLFLOW_TRACKING_URI=" + url + "   # then ordinary mlflow calls");
        out.println();
        out.println("      lineage of the serving model " + outcome.servingModelUri() + " ("
                + LineageUri.deployment(DemoStory.MODEL) + "):");
        outcome.lineage().lines().forEach(line -> out.println("        " + line));
        out.println();
        out.printf(
                Locale.ROOT,
                "Done in %.1f s: %s version %s is the champion.%n",
                (System.nanoTime() - started) / 1e9,
                DemoStory.MODEL,
                outcome.servingVersion());
        out.flush();
    }
}
