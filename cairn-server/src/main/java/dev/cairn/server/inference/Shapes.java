package dev.cairn.server.inference;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cairn.core.CairnException;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorJson;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Shapes of nested JSON arrays: read from their nesting, and written back from a tensor's shape. */
final class Shapes {
    private Shapes() {}

    /** The shape of a regular nested array (the parser is on its first token), or a 400 naming {@code name}. */
    static long[] of(JsonParser parser, JsonToken first, String name) throws IOException {
        if (first != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return new long[0];
        }
        List<Long> shape = new ArrayList<>();
        measure(parser, 0, shape, name);
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    private static void measure(JsonParser parser, int depth, List<Long> shape, String name) throws IOException {
        if (depth > 32) {
            throw CairnException.invalid("input '" + name + "' is nested too deeply");
        }
        long count = 0;
        boolean arrays = false;
        boolean scalars = false;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY) {
                arrays = true;
                measure(parser, depth + 1, shape, name);
            } else {
                scalars = true;
                parser.skipChildren();
            }
            count++;
        }
        if (arrays && scalars) {
            throw CairnException.invalid("input '" + name + "' mixes arrays and values at depth " + depth);
        }
        if (shape.size() <= depth) {
            shape.add(count);
        } else if (shape.get(depth) != count) {
            throw CairnException.invalid("input '" + name + "' is ragged: " + count + " elements at depth " + depth
                    + " where others have " + shape.get(depth));
        }
    }

    /** Writes {@code tensor} as nested JSON arrays following its shape (a plain list for one dimension). */
    static void writeNested(JsonGenerator g, Tensor tensor) throws IOException {
        long[] shape = tensor.shape();
        if (shape.length <= 1) {
            TensorJson.writeData(g, tensor.data());
            return;
        }
        write(g, tensor.data(), shape, 0, 0);
    }

    private static int write(JsonGenerator g, Object data, long[] shape, int depth, int offset) throws IOException {
        g.writeStartArray();
        if (depth == shape.length - 1) {
            for (int i = 0; i < shape[depth]; i++) {
                Object value = Array.get(data, offset + i);
                if (value instanceof Boolean b) {
                    g.writeBoolean(b);
                } else if (value instanceof String s) {
                    g.writeString(s);
                } else if (value instanceof Float f) {
                    g.writeNumber(f);
                } else if (value instanceof Double d) {
                    g.writeNumber(d);
                } else {
                    g.writeNumber(((Number) value).longValue());
                }
            }
            offset += (int) shape[depth];
        } else {
            for (int i = 0; i < shape[depth]; i++) {
                offset = write(g, data, shape, depth + 1, offset);
            }
        }
        g.writeEndArray();
        return offset;
    }
}
