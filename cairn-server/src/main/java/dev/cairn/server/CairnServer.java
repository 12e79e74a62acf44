package dev.cairn.server;

import dev.cairn.serving.InferenceEngine;
import dev.cairn.store.Database;
import io.javalin.Javalin;

/**
 * A running Cairn HTTP server: {@code try (var server = CairnServer.start(config)) { ... }}. It owns
 * its {@link Services} and releases them on {@link #close()}.
 */
public final class CairnServer implements AutoCloseable {
    private final Javalin app;
    private final Services services;

    private CairnServer(Javalin app, Services services) {
        this.app = app;
        this.services = services;
    }

    /** Opens the stores named by {@code config}, mounts every route group and starts listening. */
    public static CairnServer start(ServerConfig config) {
        return start(Services.open(config));
    }

    /**
     * Starts over an already open {@code database} (tests use it to run on a fresh PostgreSQL
     * database); {@code config.storeUrl()} is then informational only. The server closes the
     * database when it closes, or when it fails to start.
     */
    public static CairnServer start(ServerConfig config, Database database) {
        return start(Services.open(config, database));
    }

    private static CairnServer start(Services services) {
        ServerConfig config = services.config();
        try {
            Javalin app = Javalin.create(javalin -> HttpSetup.configure(javalin, services));
            app.start(config.host(), config.port());
            return new CairnServer(app, services);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /** The port actually bound, useful when the configured port was 0. */
    public int port() {
        return app.port();
    }

    public ServerConfig config() {
        return services.config();
    }

    /** The model server, to load and unload models while serving. */
    public InferenceEngine inference() {
        return services.inference();
    }

    /** Stops accepting requests, then closes the stores. */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            services.close();
        }
    }
}
