package dev.cairn.server.tracking;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.JsonRequests;
import dev.cairn.server.MlflowRoutes;
import dev.cairn.server.Services;
import dev.cairn.tracking.TrackingStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

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

    private void handle(Context ctx, TrackingEndpoint<?> endpoint) throws Exception {
        Object request = requests.read(ctx, endpoint.requestType());
        ctx.contentType("application/json");
        // The generator writes to the socket as the call produces output; the servlet buffer is
        // reset by the error handler if the call fails before anything was flushed.
        JsonGenerator out = json.createGenerator(ctx.outputStream(), JsonEncoding.UTF8);
        out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        out.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        endpoint.run(store, request, out);
        out.close();
    }
}
