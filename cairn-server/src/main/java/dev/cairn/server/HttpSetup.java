package dev.cairn.server;

import dev.cairn.server.inference.InferenceRoutes;
import dev.cairn.server.tracking.TrackingApi;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

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
        AccessLog accessLog = new AccessLog(services.metrics());
        config.requestLogger.http(accessLog);
        DirectPosts direct = new DirectPosts(services.requests(), accessLog);
        for (ApiRoutes group : RouteGroups.all(services)) {
            group.register(config.routes);
            if (group instanceof TrackingApi tracking) {
                tracking.registerDirect(direct);
            }
            if (group instanceof InferenceRoutes inference) {
                // The inference endpoints are the hot path: answered on Jetty before Javalin's router.
                config.jetty.modifyServer(server -> server.setHandler(inference.handler(accessLog)));
            }
        }
        // In front of whatever handler the route groups installed; Javalin's own goes innermost.
        config.jetty.modifyServer(server -> wrap(server, direct));
        config.jetty.modifyServer(
                server -> wrap(server, new UnreadBodies(services.config().maxJsonBodyBytes())));
    }

    /** Puts {@code outer} in front of the server's current handler. */
    private static void wrap(Server server, Handler.Wrapper outer) {
        Handler current = server.getHandler();
        server.setHandler(outer);
        outer.setHandler(current);
    }
}
