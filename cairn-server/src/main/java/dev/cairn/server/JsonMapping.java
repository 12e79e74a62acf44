package dev.cairn.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Builds the server's one {@link ObjectMapper}, set up for MLflow's wire format. */
final class JsonMapping {
    private JsonMapping() {}

    static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                // Python's json module writes NaN and Infinity bare; MLflow clients send them.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
        return JsonMapper.builder(factory)
                // Protobuf's JSON parser that MLflow uses ignores unknown fields; so do we.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // 1.5 for an integer field is a client error, not something to truncate.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }
}
