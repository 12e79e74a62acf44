package dev.cairn.server.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;

/**
 * One MLflow tracking endpoint: where it is mounted, the request message it decodes, and the call
 * that runs it against the store and writes the response. A call does its store work before it
 * writes, or writes lazily while rows stream, so a failure never leaves a half-written success.
 *
 * @param path relative to {@code /api/2.0/}, e.g. {@code mlflow/runs/create}
 * @param read whether GET with a query string is accepted besides POST
 */
record TrackingEndpoint<Q>(String path, boolean read, Class<Q> requestType, Call<Q> call) {

    /** Runs a decoded request and writes its JSON response. */
    @FunctionalInterface
    interface Call<Q> {
        void run(TrackingStore store, Q request, JsonGenerator out) throws IOException;
    }

    static <Q> TrackingEndpoint<Q> mutation(String path, Class<Q> type, Call<Q> call) {
        return new TrackingEndpoint<>(path, false, type, call);
    }

    static <Q> TrackingEndpoint<Q> read(String path, Class<Q> type, Call<Q> call) {
        return new TrackingEndpoint<>(path, true, type, call);
    }

    void run(TrackingStore store, Object request, JsonGenerator out) throws IOException {
        call.run(store, requestType.cast(request), out);
    }
}
