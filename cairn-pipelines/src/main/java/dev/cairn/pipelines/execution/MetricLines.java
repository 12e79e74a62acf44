package dev.cairn.pipelines.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.tracking.Metric;
import java.util.Optional;

/**
 * Metrics a step prints on stdout: one JSON object per line, {@code {"metric": "auc", "value":
 * 0.81}}, with optional {@code "step"} (an integer, default 0) and {@code "timestamp"} (epoch
 * milliseconds, default when the line was read). Any other line is ordinary output.
 */
final class MetricLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricLines() {}

    static Optional<Metric> parse(String line, long now) {
        String text = line.strip();
        if (!text.startsWith("{") || !text.endsWith("}") || !text.contains("\"metric\"")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(text);
            JsonNode name = node.get("metric");
            JsonNode value = node.get("value");
            if (name == null || !name.isTextual() || name.asText().isEmpty() || value == null || !value.isNumber()) {
                return Optional.empty();
            }
            long step = node.has("step") && node.get("step").canConvertToLong()
                    ? node.get("step").asLong()
                    : 0;
            long timestamp = node.has("timestamp") && node.get("timestamp").canConvertToLong()
                    ? node.get("timestamp").asLong()
                    : now;
            return Optional.of(new Metric(name.asText(), value.asDouble(), timestamp, step));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
