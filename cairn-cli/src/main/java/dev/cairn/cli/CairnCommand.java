package dev.cairn.cli;

import dev.cairn.client.Cairn;
import dev.cairn.client.ClientOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
        description = "Cairn: track, version, serve and monitor machine-learning models.")
public final class CairnCommand implements Runnable {
    /**
     * The subcommands by name, in the order {@code cairn --help} lists them. They are added by
     * {@link #addSubcommands}, not by the annotation: picocli reflects over every command it is
     * given, and building the whole tree took a large part of {@code cairn server}'s start-up.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("help", CommandLine.HelpCommand.class);
        commands.put("server", ServerCommand.class);
        commands.put("demo", DemoCommand.class);
        commands.put("experiments", ExperimentsCommand.class);
        commands.put("runs", RunsCommand.class);
        commands.put("data", DataCommand.class);
        commands.put("drift", DriftCommand.class);
        commands.put("lineage", LineageCommand.class);
        commands.put("serve", ServeCommand.class);
        commands.put("predict", PredictCommand.class);
        commands.put("deploy", DeployCommand.class);
        commands.put("models", ModelsCommand.class);
        commands.put("pipeline", PipelineCommand.class);
        commands.put("reproduce", ReproduceCommand.class);
        return Collections.unmodifiableMap(commands);
    }

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

    /**
     * Adds the subcommands to {@code root}: only the one named by the first argument when there
     * is one (the others cannot be reached then), else all of them, for help and error messages.
     */
    static void addSubcommands(CommandLine root, String... args) {
        Class<?> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null && !"help".equals(args[0])) {
            root.addSubcommand(args[0], named);
            return;
        }
        SUBCOMMANDS.forEach(root::addSubcommand);
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
