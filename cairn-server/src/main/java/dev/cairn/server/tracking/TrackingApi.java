package dev.cairn.server.tracking;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.DirectPosts;
import dev.cairn.server.JsonRequests;
import dev.cairn.server.MlflowRoutes;
import dev.cairn.server.Services;
import dev.cairn.tracking.TrackingStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/** MLflow's tracking REST API 2.0 ({@code /api/2.0/mlflow/experiments/...}, {@code runs/...}, {@code metrics/...}). */
public final class TrackingApi implements ApiRoutes {
    private final TrackingStore store;
    private final JsonRequests requests;
    private final JsonFactory json;

    public TrackingApi(Services services) {
        this.store = services.tracking();
        this.requests = services.requests();
        this.json = services.json().getFactory();
    }

    @Override
    public void register(RoutesConfig routes) {
        for (TrackingEndpoint<?> endpoint : TrackingEndpoints.all()) {
            if (endpoint.read()) {
                MlflowRoutes.read(routes, endpoint.path(), ctx -> handle(ctx, endpoint));
            } else {
                MlflowRoutes.post(routes, endpoint.path(), ctx -> handle(ctx, endpoint));
            }
        }
    }

    /**
     * Also answers every mutation (log-metric, log-batch, set-tag, ...) on Jetty before Javalin: their
     * answers are small, so they are built in memory; reads may stream and stay on Javalin.
     */
    public void registerDirect(DirectPosts posts) {
        for (TrackingEndpoint<?> endpoint : TrackingEndpoints.all()) {
            if (!endpoint.read()) {
                MlflowRoutes.direct(posts, endpoint.path(), (body, out) -> run(endpoint, decode(endpoint, body), out));
            }
        }
    }

    private Object decode(TrackingEndpoint<?> endpoint, byte[] body) {
        if (endpoint.requestType() == TrackingRequests.LogMetric.class) {
            Optional<TrackingRequests.LogMetric> plain = LogMetricReader.read(json, body);
            if (plain.isPresent()) {
                return plain.get();
            }
        }
        return requests.decode(body, endpoint.requestType());
    }

    private void handle(Context ctx, TrackingEndpoint<?> endpoint) throws Exception {
        Object request = requests.read(ctx, endpoint.requestType());
        ctx.contentType("application/json");
        // The generator writes to the socket as the call produces output; the servlet buffer is
        // reset by the error handler if the call fails before anything was flushed.
        run(endpoint, request, ctx.outputStream());
    }

    private void run(TrackingEndpoint<?> endpoint, Object request, OutputStream sink) throws IOException {
        JsonGenerator out = json.createGenerator(sink, JsonEncoding.UTF8);
        out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        out.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        endpoint.run(store, request, out);
        out.close();
    }
}
