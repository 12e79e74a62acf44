package dev.cairn.server;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Operations endpoints: {@code GET /health} and Prometheus {@code GET /metrics}. */
final class OpsRoutes implements ApiRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Services services;

    OpsRoutes(Services services) {
        this.services = services;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT)
                .result(services.metrics().scrape()));
    }

    private void health(Context ctx) {
        try {
            services.database().jdbi().withHandle(h -> h.createQuery("SELECT 1")
                    .mapTo(Integer.class)
                    .one());
        } catch (RuntimeException e) {
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "the metadata store does not answer", e);
        }
        ctx.contentType("text/plain").result("OK");
    }
}
