package dev.cairn.cli;

import dev.cairn.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn server}: runs the tracking server in the foreground until interrupted. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the Cairn server (MLflow-compatible REST API, artifacts, UI) until Ctrl-C or SIGTERM.")
final class ServerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ListenOptions listen;

    @Mixin
    private InferenceLogOptions log;

    @Option(
            names = "--store",
            paramLabel = "URL",
            description = "Metadata store: sqlite:///path/cairn.db or postgresql://host/db "
                    + "(default: sqlite:// under $CAIRN_HOME, else ~/.cairn).")
    private String store;

    @Option(
            names = "--artifacts",
            paramLabel = "DIR",
            description = "Artifact directory (default: artifacts/ under $CAIRN_HOME, else ~/.cairn).")
    private Path artifacts;

    @Override
    public Integer call() {
        ServerConfig.Builder config = listen.config().serving(log.serving());
        if (store != null) {
            config.storeUrl(store);
        }
        if (artifacts != null) {
            config.artifactsRoot(artifacts.toAbsolutePath());
        }
        ServerConfig built = config.build();
        try (ForegroundServer server = ForegroundServer.start(built)) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("Cairn server listening on " + server.url());
            out.println("  store:     " + redacted(built.storeUrl()));
            out.println("  artifacts: " + built.artifactsRoot());
            out.println("Press Ctrl-C to stop.");
            out.flush();
            server.serveUntilStopped(out);
            return 0;
        }
    }

    /** The store URL without its password, which must not end up in terminal scroll-back or logs. */
    static String redacted(String storeUrl) {
        return storeUrl.replaceAll("(://[^:/@]+):[^@/]*@", "$1:***@").replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }
}
