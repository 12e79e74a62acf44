package dev.cairn.cli;

import dev.cairn.client.ActiveRun;
import dev.cairn.client.Cairn;
import dev.cairn.client.Experiment;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cairn demo}: starts the embedded server and records a small example experiment through
 * the Java SDK, so that the UI, the CLI and {@code mlflow} clients have something to show.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start Cairn with an example experiment and keep it running until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {
    static final String EXPERIMENT = "cairn-demo";

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--host",
            defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(
            names = "--port",
            defaultValue = "5000",
            description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "Cairn home holding the default store and artifacts (default: $CAIRN_HOME, else ~/.cairn).")
    private Path home;

    @Option(names = "--exit", description = "Stop once the example is recorded instead of serving until Ctrl-C.")
    private boolean exit;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dataHome = home == null ? ServerConfig.cairnHome() : home.toAbsolutePath();
        ServerConfig config =
                ServerConfig.builder().home(dataHome).host(host).port(port).build();
        try (ForegroundServer server = ForegroundServer.start(config)) {
            out.println("Cairn server listening on " + server.url() + " (data in " + dataHome + ")");
            out.flush();
            String parentId = record(server.url(), out);
            printWhereToLook(out, server.url(), parentId);
            if (!exit) {
                out.println("Press Ctrl-C to stop.");
                out.flush();
                server.serveUntilStopped(out);
            }
            return 0;
        }
    }

    /** Records a small tuning sweep: a parent run with one nested run per learning rate. */
    private static String record(String url, PrintWriter out) throws IOException {
        Path work = Files.createTempDirectory("cairn-demo");
        String parentId;
        try (Cairn cairn = Cairn.connect(url)) {
            Experiment experiment = cairn.experiment(EXPERIMENT);
            try (ActiveRun sweep = experiment.startRun("learning-rate-sweep")) {
                sweep.setTag("demo", "true").logParam("model", "logistic-regression");
                double best = Double.MAX_VALUE;
                for (double rate : new double[] {0.3, 0.1, 0.03}) {
                    best = Math.min(best, train(sweep, rate, work));
                }
                sweep.logMetric("best_val_loss", best);
                parentId = sweep.id();
            }
        } finally {
            deleteTree(work);
        }
        out.println("Recorded experiment '" + EXPERIMENT + "': run " + parentId + " with 3 nested runs");
        return parentId;
    }

    /** One nested run: a decaying, seeded loss curve standing in for real training. */
    private static double train(ActiveRun sweep, double rate, Path work) throws IOException {
        try (ActiveRun run = sweep.startNestedRun(String.format(Locale.ROOT, "lr-%s", rate))) {
            run.logParams(Map.of("learning_rate", rate, "epochs", 20, "seed", 42));
            Random noise = new Random(42);
            double valLoss = 0;
            for (int epoch = 1; epoch <= 20; epoch++) {
                double trainLoss = 0.25 + 0.7 * Math.exp(-rate * epoch) + 0.01 * noise.nextGaussian();
                valLoss = trainLoss + 0.02 + 0.004 * epoch * rate;
                run.logMetric("train_loss", trainLoss, epoch).logMetric("val_loss", valLoss, epoch);
            }
            run.logMetric("accuracy", 1 - valLoss / 2);
            Path report = work.resolve("report-" + run.id() + ".md");
            Files.writeString(
                    report,
                    String.format(
                            Locale.ROOT,
                            "# Training report%n%nlearning rate %s, 20 epochs, final validation loss %.4f%n",
                            rate,
                            valLoss));
            run.logArtifact(report, "reports");
            return valLoss;
        }
    }

    private static void printWhereToLook(PrintWriter out, String url, String parentId) {
        out.println();
        out.println("Where to look:");
        out.println("  web UI:     " + url);
        out.println("  CLI:        ./cairn runs list --experiment " + EXPERIMENT + " --tracking-uri " + url);
        out.println("              ./cairn runs show " + parentId + " --tracking-uri " + url);
        out.println("  Python:     export MLFLOW_TRACKING_URI=" + url + "   # then ordinary mlflow calls");
        out.println();
        out.flush();
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
