package dev.cairn.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code cairn-model.json} manifest of a model package. Everything but {@code metadata} is
 * stable across retrainings that learn the same thing; {@code metadata} holds the volatile facts
 * (creation and training times) and is outside the content hash.
 *
 * @param formatVersion the version of this manifest format ({@link ModelPackage#FORMAT_VERSION})
 * @param flavor the flavor whose {@link PredictorFactory} loads the package
 * @param flavorOptions flavor-specific settings, such as the name of the model file
 * @param signature the model's inputs and outputs
 * @param inputExample an example request, as {@code {"inputs": [tensors]}} in Open Inference Protocol form
 * @param requirements the runtime libraries and versions the model was saved with
 * @param source where the model came from: {@code run_id}, {@code artifact_path} (both optional)
 * @param files each file of the package (relative path, '/'-separated) and its SHA-256
 * @param contentHash SHA-256 over the sorted (path, file hash) list
 * @param metadata volatile facts, not part of the content hash
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("flavor") String flavor,
        @JsonProperty("flavor_options") Map<String, String> flavorOptions,
        @JsonProperty("signature") Signature signature,
        @JsonProperty("input_example") JsonNode inputExample,
        @JsonProperty("requirements") Map<String, String> requirements,
        @JsonProperty("source") Map<String, String> source,
        @JsonProperty("files") Map<String, String> files,
        @JsonProperty("content_hash") String contentHash,
        @JsonProperty("metadata") Map<String, String> metadata) {

    public ModelManifest {
        flavorOptions = sorted(flavorOptions);
        inputExample = inputExample == null ? NullNode.getInstance() : inputExample;
        requirements = sorted(requirements);
        source = sorted(source);
        files = sorted(files);
        contentHash = contentHash == null ? "" : contentHash;
        metadata = sorted(metadata);
    }

    /** The flavor option {@code key}, or a clear error naming the package when it is missing. */
    public String flavorOption(String key) {
        String value = flavorOptions.get(key);
        if (value == null) {
            throw new dev.cairn.core.CairnException(
                    dev.cairn.core.ErrorCode.INVALID_STATE,
                    ModelPackage.MANIFEST + ": flavor '" + flavor + "' needs flavor_options." + key);
        }
        return value;
    }

    private static Map<String, String> sorted(Map<String, String> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
