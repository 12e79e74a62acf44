package dev.cairn.cli;

import dev.cairn.client.Cairn;
import dev.cairn.client.ClientOptions;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code cairn} command: global options and the list of subcommands.
 *
 * <p>A subcommand reaches the global options through {@link #of(CommandSpec)}.
 */
@Command(
        name = "cairn",
        mixinStandardHelpOptions = true,
        versionProvider = CairnCommand.Version.class,
        description = "Cairn: track, version, serve and monitor machine-learning models.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ServerCommand.class,
            DemoCommand.class,
            ExperimentsCommand.class,
            RunsCommand.class,
            DataCommand.class,
            DriftCommand.class,
            LineageCommand.class,
            ServeCommand.class,
            PredictCommand.class,
            DeployCommand.class,
            ModelsCommand.class,
            PipelineCommand.class,
            ReproduceCommand.class,
        })
public final class CairnCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Option(
            names = "--tracking-uri",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            defaultValue = "${env:CAIRN_TRACKING_URI:-http://127.0.0.1:5000}",
            description = "Cairn server to talk to (default: $CAIRN_TRACKING_URI, else ${DEFAULT-VALUE}).")
    private String trackingUri;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    private boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The root command of the command line that {@code spec} belongs to. */
    public static CairnCommand of(CommandSpec spec) {
        return (CairnCommand) spec.root().userObject();
    }

    public String trackingUri() {
        return trackingUri;
    }

    public boolean verbose() {
        return verbose;
    }

    /**
     * A client for the tracking server named by {@code --tracking-uri}; the caller closes it. A
     * person is waiting, so it gives up after a few quick retries rather than the SDK's default.
     */
    public Cairn connect() {
        return Cairn.connect(
                trackingUri,
                ClientOptions.builder()
                        .maxAttempts(3)
                        .initialBackoff(Duration.ofMillis(100))
                        .build());
    }

    /** The version recorded in the jar's manifest at build time. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CairnCommand.class.getPackage().getImplementationVersion();
            return new String[] {"cairn " + (version == null ? "(development build)" : version)};
        }
    }
}
