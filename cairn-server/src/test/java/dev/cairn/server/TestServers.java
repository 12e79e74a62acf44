package dev.cairn.server;

import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.nio.file.Path;

/** Starts real servers for tests: 127.0.0.1, any free port, a fresh database of the given kind. */
public final class TestServers {
    private TestServers() {}

    public static CairnServer start(TestDatabases.Kind kind, Path home) {
        return start(kind, ServerConfig.builder().home(home).port(0));
    }

    /** Starts with {@code config}'s settings (host and port left as given) over a fresh database. */
    public static CairnServer start(TestDatabases.Kind kind, ServerConfig.Builder config) {
        Database database = kind.open();
        ServerConfig built = config.storeUrl(database.url().jdbcUrl()).build();
        return CairnServer.start(built, database);
    }

    /** The services a server would run on, without HTTP: for tests that drive the request path directly. */
    public static Services services(TestDatabases.Kind kind, Path home) {
        Database database = kind.open();
        ServerConfig config = ServerConfig.builder()
                .home(home)
                .storeUrl(database.url().jdbcUrl())
                .build();
        return Services.open(config, database);
    }

    public static String baseUrl(CairnServer server) {
        return "http://127.0.0.1:" + server.port();
    }
}
