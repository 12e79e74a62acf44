package dev.cairn.server.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cairn.tracking.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Writes {@code {"metrics": [...]}} point by point as the store reads them. The opening is written
 * with the first point so that a failure before any row leaves nothing written.
 */
final class MetricStream implements Consumer<Metric> {
    private final JsonGenerator out;
    private boolean started;

    MetricStream(JsonGenerator out) {
        this.out = out;
    }

    @Override
    public void accept(Metric metric) {
        try {
            if (!started) {
                started = true;
                out.writeStartObject();
                out.writeArrayFieldStart("metrics");
            }
            ProtoJson.metric(out, metric);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the metric history failed", e);
        }
    }

    void finish() throws IOException {
        if (started) {
            out.writeEndArray();
        } else {
            out.writeStartObject();
        }
        out.writeEndObject();
    }
}
