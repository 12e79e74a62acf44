package dev.cairn.client;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.nio.file.Path;

/** A real Cairn server on 127.0.0.1, any free port, with a fresh SQLite store in {@code home}. */
final class ServerFixture implements AutoCloseable {
    private final CairnServer server;

    private ServerFixture(CairnServer server) {
        this.server = server;
    }

    static ServerFixture start(Path home) {
        return new ServerFixture(CairnServer.start(
                ServerConfig.builder().home(home).host("127.0.0.1").port(0).build()));
    }

    int port() {
        return server.port();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
