package dev.cairn.server;

import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;

/** Applies the server-wide HTTP settings and mounts every route group. */
final class HttpSetup {
    private HttpSetup() {}

    static void configure(JavalinConfig config, Services services) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = services.config().maxJsonBodyBytes();
        config.http.defaultContentType = "application/json";
        // Clients are mostly on the same host or network; compressing large histories and search
        // pages costs more CPU than it saves, and MLflow's server does not compress either.
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.jsonMapper(new JavalinJackson(services.json(), false));
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
        config.router.javaLangErrorHandler((response, error) -> HttpErrors.fatal(response, error));
        HttpErrors.register(config.routes);
        config.requestLogger.http(new AccessLog(services.metrics()));
        for (ApiRoutes group : RouteGroups.all(services)) {
            group.register(config.routes);
        }
    }
}
