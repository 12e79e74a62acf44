package dev.cairn.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
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
                // Numbers parsed straight from the parser's buffer rather than through a String per number
                // (tensor data and metric values are mostly numbers), and written by Schubfach, the
                // shortest text that reads back to the same value. Both exact; on JDK 21 and later the
                // JDK's own writer is the faster one.
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
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
