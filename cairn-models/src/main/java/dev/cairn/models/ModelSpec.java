package dev.cairn.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a flavor's {@code save} needs besides the trained model and its signature: an input
 * example, the source run and volatile metadata; all optional.
 */
public record ModelSpec(List<Tensor> inputExample, Map<String, String> source, Map<String, String> metadata) {

    public ModelSpec {
        inputExample = List.copyOf(inputExample);
        source = Map.copyOf(source);
        metadata = Map.copyOf(metadata);
    }

    public static ModelSpec empty() {
        return new ModelSpec(List.of(), Map.of(), Map.of());
    }

    public ModelSpec withInputExample(Tensor... example) {
        return new ModelSpec(List.of(example), source, metadata);
    }

    public ModelSpec withSource(String runId, String artifactPath) {
        return new ModelSpec(inputExample, Map.of("run_id", runId, "artifact_path", artifactPath), metadata);
    }

    public ModelSpec withMetadata(String key, String value) {
        var more = new LinkedHashMap<>(metadata);
        more.put(key, value);
        return new ModelSpec(inputExample, source, more);
    }
}
