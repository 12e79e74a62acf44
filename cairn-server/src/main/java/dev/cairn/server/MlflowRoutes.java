package dev.cairn.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Mounts an MLflow REST endpoint under both prefixes MLflow serves it on, {@code /api/2.0/} and
 * {@code /ajax-api/2.0/}; {@code path} is relative, e.g. {@code mlflow/runs/create} or
 * {@code mlflow-artifacts/artifacts/<path>}.
 */
public final class MlflowRoutes {
    public static final List<String> PREFIXES = List.of("/api/2.0/", "/ajax-api/2.0/");

    private MlflowRoutes() {}

    /** A mutation: POST with a JSON body. */
    public static void post(RoutesConfig routes, String path, Handler handler) {
        add(routes, HandlerType.POST, path, handler);
    }

    /** A read: GET with query-string parameters, and POST with a JSON body, as MLflow clients send both. */
    public static void read(RoutesConfig routes, String path, Handler handler) {
        add(routes, HandlerType.GET, path, handler);
        add(routes, HandlerType.POST, path, handler);
    }

    /** A mutation also answered on Jetty directly, before Javalin (see {@link DirectPosts}). */
    public static void direct(DirectPosts posts, String path, DirectPosts.Endpoint endpoint) {
        for (String prefix : PREFIXES) {
            posts.add(prefix + path, endpoint);
        }
    }

    /** Any method, e.g. PUT for artifact uploads. */
    public static void add(RoutesConfig routes, HandlerType method, String path, Handler handler) {
        for (String prefix : PREFIXES) {
            routes.addHttpHandler(method, prefix + path, handler);
        }
    }
}
