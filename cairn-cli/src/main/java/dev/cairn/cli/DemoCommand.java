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
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    static final String SAMPLE_NOTE = "1,000 flights of each month from the vega-datasets package, BSD-3-Clause,"
            + " data of the U.S. Bureau of Transportation Statistics; see examples/data/README.md";
    static final String FULL = "flights-3m.parquet";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ListenOptions listen;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description =
                    "Flights table, CSV or Parquet (date,delay,distance,origin,destination; months 1-6), instead of the committed sample.")
    private Path data;

    @Option(
            names = "--full-data",
            description = "Use the full 3-million-row flights-3m.parquet of the vega-datasets package when found"
                    + " ($CAIRN_DATA, a file or its folder, or node_modules/vega-datasets/data); else the sample.")
    private boolean fullData;

    @Option(
            names = "--replay",
            paramLabel = "N",
            defaultValue = "1000",
            description =
                    "Flights of each later month replayed as live traffic, one request each (default: ${DEFAULT-VALUE}).")
    private int replay;

    @Option(names = "--exit", description = "Stop once the story is told instead of serving until Ctrl-C.")
    private boolean exit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dataHome = listen.home();
        Path flights = flights(out);
        CairnException.requireArgument(replay >= 10, "--replay must be at least 10: " + replay);
        ServerConfig config = listen.config().build();
        long started = System.nanoTime();
        quietLogs();
        out.println("Cairn demo: predicting flight delays (US domestic flights, January-June 2001)");
        out.println("data: " + flights + (flights.endsWith(SAMPLE) ? " (" + SAMPLE_NOTE + ")" : ""));
        DemoStory.stage(out, 1, "Starting the Cairn server (embedded SQLite store and local artifacts)");
        Database database = Database.open(StoreUrl.parse(config.storeUrl()));
        try (ForegroundServer server = ForegroundServer.start(config, database)) {
            out.println("      Cairn server listening on " + server.url() + " (data in " + dataHome + ")");
            out.flush();
            Path home = config.artifactsRoot().toAbsolutePath().getParent();
            DemoStory.Setting setting = new DemoStory.Setting(
                    server.url(),
                    new RestCalls(server.url(), Map.of())::call,
                    database,
                    BlobStore.local(config.artifactsRoot()),
                    dataHome.resolve("demo"),
                    home.resolve("references"),
                    flights,
                    replay);
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

    /**
     * The story prints what happens: one access-log line per request, and the log lines of alerts
     * and automatic promotions it tells itself, would bury it, unless asked for.
     */
    private static void quietLogs() {
        if (System.getenv("CAIRN_LOG_LEVEL") != null) {
            return;
        }
        Map<String, Level> levels = Map.of(
                "dev.cairn.server.access", Level.WARN,
                "dev.cairn.monitoring.alerts.LogNotifier", Level.ERROR,
                "dev.cairn.deployments", Level.WARN);
        levels.forEach((name, level) -> {
            if (LoggerFactory.getLogger(name) instanceof Logger logger) {
                logger.setLevel(level);
            }
        });
    }

    /**
     * {@code --data}; else with {@code --full-data} the full file when found; else the committed
     * sample found from the working directory or the distribution upwards.
     */
    private Path flights(PrintWriter out) {
        if (data != null) {
            if (!Files.isRegularFile(data)) {
                throw CairnException.invalid("--data: no such file " + data);
            }
            return data.toAbsolutePath();
        }
        if (fullData) {
            Optional<Path> full = fullDataFile();
            if (full.isPresent()) {
                return full.get();
            }
            out.println("--full-data: no " + FULL + " in $CAIRN_DATA or node_modules/vega-datasets/data;"
                    + " using the committed sample");
        }
        return findUpwards(Path.of("").toAbsolutePath(), SAMPLE)
                .or(() -> distribution().flatMap(d -> findUpwards(d, SAMPLE)))
                .orElseThrow(() -> CairnException.invalid("cannot find " + SAMPLE + " above "
                        + Path.of("").toAbsolutePath() + "; run from the Cairn repository or pass --data FILE"));
    }

    /** {@code $CAIRN_DATA} (the file, or a folder holding it or its {@code data/}), else vega-datasets in node_modules. */
    private static Optional<Path> fullDataFile() {
        String env = System.getenv("CAIRN_DATA");
        if (env != null && !env.isBlank()) {
            Path given = Path.of(env).toAbsolutePath();
            for (Path candidate :
                    List.of(given, given.resolve(FULL), given.resolve("data").resolve(FULL))) {
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return findUpwards(Path.of("").toAbsolutePath(), "node_modules/vega-datasets/data/" + FULL);
    }

    private static Optional<Path> findUpwards(Path start, String relative) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
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
        String server = " --tracking-uri " + url;
        DemoStory.stage(out, DemoStory.STAGES, "Where to look");
        out.println("      server:      " + url + "   (MLflow REST, OIP v2 /v2/models/" + DemoStory.MODEL
                + "/infer, /api/v1/deployments, /api/v1/monitors, /api/v1/lineage)");
        out.println("      runs:        ./cairn runs list --experiment " + DemoStory.EXPERIMENT + server);
        out.println("      pipeline:    ./cairn pipeline status "
                + outcome.retrainPipelineRun().orElse(outcome.firstPipelineRun()) + homeOption);
        out.println("      model:       ./cairn models versions " + DemoStory.MODEL + server);
        out.println("      deployment:  ./cairn deploy history " + DemoStory.MODEL + server);
        out.println("      monitor:     curl -s " + url + "/api/v1/monitors/" + DemoStory.MONITOR + "/results");
        out.println("      data:        ./cairn data list" + homeOption);
        out.println("      lineage:     ./cairn lineage " + outcome.servingModelUri() + " --up" + homeOption);
        out.println("      Python:      export MLFLOW_TRACKING_URI=" + url + "   # then ordinary mlflow calls");
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
