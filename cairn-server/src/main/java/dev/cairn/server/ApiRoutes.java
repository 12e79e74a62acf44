package dev.cairn.server;

import io.javalin.config.RoutesConfig;

/**
 * A group of HTTP endpoints contributed by one feature package ({@code dev.cairn.server.<feature>}).
 * Implementations get the long-lived {@link Services} in their constructor and register handlers
 * here; they are listed once in {@link RouteGroups}.
 */
@FunctionalInterface
public interface ApiRoutes {
    void register(RoutesConfig routes);
}
