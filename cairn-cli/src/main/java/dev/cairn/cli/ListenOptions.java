package dev.cairn.cli;

import dev.cairn.server.ServerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of a command that runs the Cairn server: where it listens and which home it uses. */
final class ListenOptions {
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

    /** The Cairn home these options name. */
    Path home() {
        return home == null ? ServerConfig.cairnHome() : home.toAbsolutePath();
    }

    /** A server configuration listening where these options say, with its store and artifacts under {@link #home()}. */
    ServerConfig.Builder config() {
        return ServerConfig.builder().home(home()).host(host).port(port);
    }
}
