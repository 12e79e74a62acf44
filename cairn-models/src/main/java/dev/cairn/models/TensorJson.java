package dev.cairn.models;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.cairn.core.CairnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tensors in the JSON form of the Open Inference Protocol: {@code {"name", "datatype", "shape",
 * "data"}} with data flat (row-major) or nested. Reading streams the data straight into the primitive
 * array of the datatype; every malformed input is a 400-class {@link CairnException} naming the
 * tensor.
 */
public final class TensorJson {
    private TensorJson() {}

    /** The fields of one tensor object besides its data. */
    public record Header(String name, DataType datatype, long[] shape) {}

    /**
     * Reads one tensor object; the parser is on its {@code START_OBJECT} and is left on its {@code
     * END_OBJECT}. Data that arrives before {@code datatype} and {@code shape} is buffered first.
     */
    public static Tensor read(JsonParser parser, String what) throws IOException {
        expect(parser, parser.currentToken(), JsonToken.START_OBJECT, what, "");
        String name = null;
        DataType datatype = null;
        long[] shape = null;
        Object data = null;
        TokenBuffer early = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            // The field labels of errors are built only when one is thrown: this runs for every tensor of every
            // request.
            switch (field) {
                case "name" -> name = text(parser, value, what, ".name");
                case "datatype" -> datatype = datatype(text(parser, value, what, ".datatype"), what);
                case "shape" -> shape = readShape(parser, value, what, ".shape");
                case "data" -> {
                    if (datatype != null && shape != null) {
                        data = readData(parser, datatype, shape, label(what, name));
                    } else {
                        early = new TokenBuffer(parser);
                        early.copyCurrentStructure(parser);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (name == null || name.isEmpty()) {
            throw CairnException.invalid(what + ": 'name' is required");
        }
        if (datatype == null) {
            throw CairnException.invalid("tensor '" + name + "': 'datatype' is required");
        }
        if (shape == null) {
            throw CairnException.invalid("tensor '" + name + "': 'shape' is required");
        }
        if (data == null && early != null) {
            try (JsonParser buffered = early.asParser()) {
                data = readData(buffered, datatype, shape, "tensor '" + name + "'", buffered.nextToken());
            }
        }
        if (data == null) {
            throw CairnException.invalid("tensor '" + name + "': 'data' is required");
        }
        return Tensor.of(name, datatype, data, shape);
    }

    /** Reads the JSON array of integers of field {@code what + field} (the parser is on {@code value}). */
    private static long[] readShape(JsonParser parser, JsonToken value, String what, String field) throws IOException {
        expect(parser, value, JsonToken.START_ARRAY, what, field);
        long[] dims = new long[4];
        int n = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
                throw CairnException.invalid(
                        what + field + ": dimensions must be non-negative integers, got '" + parser.getText() + "'");
            }
            if (n == dims.length) {
                dims = Arrays.copyOf(dims, n * 2);
            }
            dims[n++] = parser.getLongValue();
        }
        return Arrays.copyOf(dims, n);
    }

    /** Reads tensor data (the parser is on its first token), flat or nested, into a new array. */
    public static Object readData(JsonParser parser, DataType datatype, long[] shape, String what) throws IOException {
        return readData(parser, datatype, shape, what, parser.currentToken());
    }

    private static Object readData(JsonParser parser, DataType datatype, long[] shape, String what, JsonToken first)
            throws IOException {
        int count = (int) Tensor.elementCount(what, shape);
        var sink = new Sink(datatype, count, what);
        if (first == JsonToken.START_ARRAY) {
            readNested(parser, sink, 0);
        } else {
            // A scalar is accepted for a tensor of one element.
            sink.add(parser, first);
        }
        if (sink.size != count) {
            throw CairnException.invalid(what + ": shape " + Arrays.toString(shape) + " needs " + count
                    + " elements but data has " + sink.size);
        }
        return sink.array;
    }

    private static void readNested(JsonParser parser, Sink sink, int depth) throws IOException {
        if (depth > 32) {
            throw CairnException.invalid(sink.what + ": data is nested too deeply");
        }
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY) {
                readNested(parser, sink, depth + 1);
            } else {
                sink.add(parser, token);
            }
        }
    }

    /** Writes {@code tensor} as one JSON object. */
    public static void write(JsonGenerator out, Tensor tensor) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", tensor.name());
        out.writeStringField("datatype", tensor.datatype().name());
        out.writeFieldName("shape");
        out.writeStartArray(tensor, tensor.rank());
        for (int i = 0; i < tensor.rank(); i++) {
            out.writeNumber(tensor.dim(i));
        }
        out.writeEndArray();
        out.writeFieldName("data");
        writeData(out, tensor.data());
        out.writeEndObject();
    }

    /** Writes the elements of a storage array as one flat JSON array. */
    public static void writeData(JsonGenerator out, Object data) throws IOException {
        if (data instanceof float[] f) {
            out.writeStartArray(f, f.length);
            for (float v : f) {
                writeFloat(out, v);
            }
            out.writeEndArray();
        } else if (data instanceof double[] d) {
            out.writeArray(d, 0, d.length);
        } else if (data instanceof int[] n) {
            out.writeArray(n, 0, n.length);
        } else if (data instanceof long[] n) {
            out.writeArray(n, 0, n.length);
        } else if (data instanceof boolean[] b) {
            out.writeStartArray(b, b.length);
            for (boolean v : b) {
                out.writeBoolean(v);
            }
            out.writeEndArray();
        } else {
            String[] s = (String[]) data;
            out.writeArray(s, 0, s.length);
        }
    }

    private static void writeFloat(JsonGenerator out, float v) throws IOException {
        if (Float.isFinite(v)) {
            out.writeNumber(v);
        } else {
            out.writeString(Float.toString(v));
        }
    }

    /** An input example as written in the manifest: {@code {"inputs": [tensors]}}. */
    static JsonNode writeExample(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode inputs = root.putArray("inputs");
        for (Tensor tensor : tensors) {
            try (var buffer = new TokenBuffer(ModelPackage.JSON, false)) {
                write(buffer, tensor);
                inputs.add((JsonNode) ModelPackage.JSON.readTree(buffer.asParser()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** Decodes an input example written by {@link #writeExample}. */
    static List<Tensor> readExample(JsonNode example) {
        var tensors = new ArrayList<Tensor>();
        for (JsonNode node : example.path("inputs")) {
            try (JsonParser parser = ModelPackage.JSON.treeAsTokens(node)) {
                parser.nextToken();
                tensors.add(read(parser, "input_example"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tensors;
    }

    private static String label(String what, String name) {
        return name == null ? what : "tensor '" + name + "'";
    }

    private static String text(JsonParser parser, JsonToken value, String what, String field) throws IOException {
        expect(parser, value, JsonToken.VALUE_STRING, what, field);
        return parser.getText();
    }

    private static DataType datatype(String name, String what) {
        DataType type = DataType.find(name);
        return type != null ? type : DataType.parse(name, what + ".datatype");
    }

    /** Checks a token of the field {@code what + field}. */
    private static void expect(JsonParser parser, JsonToken actual, JsonToken wanted, String what, String field)
            throws IOException {
        if (actual != wanted) {
            throw CairnException.invalid(what + field + ": expected " + describe(wanted) + ", got "
                    + (actual == null ? "end of input" : describe(actual) + " '" + parser.getText() + "'"));
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    /** Accumulates elements into the storage array of one datatype, checking each value's kind and range. */
    private static final class Sink {
        final DataType datatype;
        final Object array;
        final String what;
        final int capacity;
        int size;

        Sink(DataType datatype, int capacity, String what) {
            this.datatype = datatype;
            this.capacity = capacity;
            this.what = what;
            this.array = java.lang.reflect.Array.newInstance(
                    datatype.storage().arrayClass().getComponentType(), capacity);
        }

        void add(JsonParser parser, JsonToken token) throws IOException {
            if (size == capacity) {
                throw CairnException.invalid(
                        what + ": data has more than the " + capacity + " elements its shape holds");
            }
            switch (datatype.storage()) {
                case FLOAT -> ((float[]) array)[size] = (float) number(parser, token);
                case DOUBLE -> ((double[]) array)[size] = number(parser, token);
                case INT -> ((int[]) array)[size] = (int) integer(parser, token);
                case LONG -> ((long[]) array)[size] = integer(parser, token);
                case BOOL -> ((boolean[]) array)[size] = bool(parser, token);
                case STRING -> ((String[]) array)[size] = string(parser, token);
            }
            size++;
        }

        private double number(JsonParser parser, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
                return parser.getDoubleValue();
            }
            if (token == JsonToken.VALUE_STRING) {
                switch (parser.getText()) {
                    case "NaN":
                        return Double.NaN;
                    case "Infinity", "inf":
                        return Double.POSITIVE_INFINITY;
                    case "-Infinity", "-inf":
                        return Double.NEGATIVE_INFINITY;
                    default:
                        break;
                }
            }
            throw wrong(parser, token, "a number");
        }

        private long integer(JsonParser parser, JsonToken token) throws IOException {
            if (token != JsonToken.VALUE_NUMBER_INT) {
                throw wrong(parser, token, "an integer");
            }
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || !datatype.fits(parser.getLongValue())) {
                throw CairnException.invalid(
                        what + ": element " + size + " = " + parser.getText() + " is out of range for " + datatype);
            }
            return parser.getLongValue();
        }

        private boolean bool(JsonParser parser, JsonToken token) {
            if (token == JsonToken.VALUE_TRUE) {
                return true;
            }
            if (token == JsonToken.VALUE_FALSE) {
                return false;
            }
            throw wrong(parser, token, "true or false");
        }

        private String string(JsonParser parser, JsonToken token) throws IOException {
            if (token != JsonToken.VALUE_STRING) {
                throw wrong(parser, token, "a string");
            }
            return parser.getText();
        }

        private CairnException wrong(JsonParser parser, JsonToken token, String wanted) {
            String got;
            try {
                got = token == JsonToken.START_OBJECT ? "an object" : parser.getText();
            } catch (IOException e) {
                got = String.valueOf(token);
            }
            return CairnException.invalid(
                    what + ": " + datatype + " element " + size + " must be " + wanted + ", got '" + got + "'");
        }
    }
}
