package dev.cairn.cli;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.pipelines.Durations;
import dev.cairn.pipelines.builtin.BuiltinSteps;
import dev.cairn.reproduce.ReproduceOptions;
import dev.cairn.reproduce.Reproducer;
import dev.cairn.reproduce.Reproduction;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cairn reproduce RUN_ID|models:/NAME/VERSION}: re-runs a recorded run from its code, data and
 * parameters and says whether it is IDENTICAL, EQUIVALENT or DIFFERENT (exit code 2).
 */
@Command(
        name = "reproduce",
        mixinStandardHelpOptions = true,
        description = {
            "Re-run a recorded run (or the run behind a registered model version) from its recorded code, data,"
                    + " parameters and seeds, and compare what it produces with what was recorded.",
            "Prints IDENTICAL (every artifact hash equal; model packages by content hash), EQUIVALENT (metrics"
                    + " within --tolerance) or DIFFERENT (with what differs and the likely cause); exit code 2 when"
                    + " DIFFERENT, 1 when the run cannot be reproduced.",
            "A run started by a process (the SDK) is re-run from its command line with the dataset versions it"
                    + " logged as inputs restored (every hash verified) and named in CAIRN_INPUT_<NAME>, as a"
                    + " pipeline step's inputs are."
        })
final class ReproduceCommand implements Callable<Integer> {
    /** The exit code of a reproduction that is DIFFERENT. */
    static final int DIFFERENT_EXIT_CODE = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    PipelineWorkspace workspace;

    @Parameters(index = "0", paramLabel = "RUN_ID|models:/NAME/VERSION", description = "What to reproduce.")
    String target;

    @Option(
            names = "--tolerance",
            paramLabel = "REL",
            defaultValue = "1e-6",
            description = "Relative difference up to which metrics count as equivalent (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(
            names = "--scratch",
            paramLabel = "DIR",
            description = "Where the temporary checkout goes; removed afterwards (default: the system temp directory).")
    Path scratch;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = TimeoutConverter.class,
            description = "How long the re-run may take, e.g. 90s, 30m, 2h (default: ${DEFAULT-VALUE}); a re-run"
                    + " process still running then is stopped with every process it started, a re-run step gets at"
                    + " most this timeout.")
    Duration timeout;

    @Option(names = "--json", description = "Print the comparison as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Reproduction r = reproduce();
            if (json) {
                JsonOutput.print(out, r);
            } else {
                print(out, r);
            }
            return r.verdict() == Reproduction.Verdict.DIFFERENT ? DIFFERENT_EXIT_CODE : 0;
        } catch (CairnException e) {
            // The whole message: a refused input lists every problem on its own line.
            spec.commandLine().getErr().println("cairn: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    private Reproduction reproduce() {
        ServerConfig.Builder config = ServerConfig.builder();
        config.home(workspace.home == null ? ServerConfig.cairnHome() : workspace.home.toAbsolutePath());
        if (workspace.store != null) {
            config.storeUrl(workspace.store);
        }
        if (workspace.artifacts != null) {
            config.artifactsRoot(workspace.artifacts.toAbsolutePath());
        }
        ServerConfig built = config.build();
        ReproduceOptions options =
                ReproduceOptions.defaults().tolerance(tolerance).timeout(timeout);
        if (scratch != null) {
            options = options.scratch(scratch.toAbsolutePath());
        }
        options = options.environment(
                Map.of("CAIRN_TRACKING_URI", CairnCommand.of(spec).trackingUri()));
        try (Database db = Database.open(StoreUrl.parse(built.storeUrl()))) {
            return Reproducer.over(db, BlobStore.local(built.artifactsRoot()), BuiltinSteps.discovered())
                    .reproduce(target, options);
        }
    }

    private static void print(PrintWriter out, Reproduction r) {
        out.println(r.verdict() + "  run " + r.runId() + " reproduced as "
                + (r.reproducedRunIds().isEmpty() ? "nothing" : "run " + String.join(", ", r.reproducedRunIds())));
        for (Reproduction.Artifact a : r.artifacts()) {
            out.println("  " + (a.equal() ? "same     " : "differs  ") + a.path() + "  (" + a.comparedBy() + " "
                    + (a.equal()
                            ? shortHash(a.recorded())
                            : shortHash(a.recorded()) + " -> " + shortHash(a.reproduced()))
                    + ")");
        }
        for (Reproduction.Metric m : r.metrics()) {
            String verdict = m.equal() ? "same     " : m.withinTolerance() ? "close    " : "differs  ";
            out.println("  " + verdict + "metric " + m.key() + " = " + m.recorded()
                    + (m.equal() ? "" : " -> " + m.reproduced() + " (tolerance " + r.tolerance() + ")"));
        }
        if (!r.causes().isEmpty()) {
            out.println("likely causes:");
            r.causes().forEach(c -> out.println("  " + c.kind() + ": " + c.detail()));
        }
        out.flush();
    }

    /** Reads {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 500ms} or an ISO-8601 duration ({@code PT1H}). */
    static final class TimeoutConverter implements ITypeConverter<Duration> {
        private static final Duration MAX = Duration.ofDays(7);

        @Override
        public Duration convert(String value) {
            Duration d = Durations.parse(value)
                    .orElseThrow(() -> new TypeConversionException(
                            "--timeout must be a duration such as 90s, 30m, 1h30m or PT2H; got '" + value + "'"));
            return positive(d, value);
        }

        private static Duration positive(Duration d, String value) {
            if (d.isZero() || d.isNegative()) {
                throw new TypeConversionException("--timeout must be positive; got '" + value + "'");
            }
            // Far beyond any re-run, and a bound that keeps the timeout within long milliseconds.
            if (d.compareTo(MAX) > 0) {
                throw new TypeConversionException("--timeout must be at most 7 days (168h); got '" + value + "'");
            }
            return d;
        }
    }

    private static String shortHash(String sha) {
        return sha.isEmpty() ? "absent" : sha.substring(0, Math.min(12, sha.length()));
    }
}
