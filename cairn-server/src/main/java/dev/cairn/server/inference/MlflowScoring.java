package dev.cairn.server.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.cairn.core.CairnException;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorJson;
import dev.cairn.models.TensorSpec;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of MLflow's scoring protocol ({@code POST /invocations}): JSON with one of {@code
 * dataframe_split}, {@code dataframe_records}, {@code instances} or {@code inputs}, or CSV with a
 * header, decoded into the model's typed inputs; predictions as {@code {"predictions": ...}}.
 * Columns the model does not take are ignored, as MLflow does.
 */
final class MlflowScoring {
    private final JsonFactory json;

    MlflowScoring(JsonFactory json) {
        this.json = json;
    }

    List<Tensor> json(InputStream body, Signature signature) throws IOException {
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw CairnException.invalid(
                        "the body must be a JSON object with one of dataframe_split, dataframe_records, instances, inputs");
            }
            List<Tensor> inputs = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "dataframe_split" -> inputs = once(inputs, split(parser, value, signature), field);
                    case "dataframe_records" -> inputs = once(inputs, records(parser, value, signature), field);
                    case "instances", "inputs" -> inputs = once(inputs, instances(parser, value, signature), field);
                    default -> parser.skipChildren(); // "params" and anything newer
                }
            }
            if (inputs == null) {
                throw CairnException.invalid(
                        "the body has none of dataframe_split, dataframe_records, instances, inputs");
            }
            return inputs;
        }
    }

    private static List<Tensor> once(List<Tensor> before, List<Tensor> now, String field) {
        if (before != null) {
            throw CairnException.invalid("the body has more than one input format; '" + field + "' is one too many");
        }
        return now;
    }

    /** {@code {"columns": [...], "data": [[...], ...]}}; without columns, values are in signature order. */
    private List<Tensor> split(JsonParser parser, JsonToken value, Signature signature) throws IOException {
        expect(value, JsonToken.START_OBJECT, "dataframe_split");
        List<String> columns = null;
        TokenBuffer early = null;
        Table table = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken v = parser.nextToken();
            if (field.equals("columns")) {
                columns = strings(parser, v, "dataframe_split.columns");
            } else if (field.equals("data") && columns != null) {
                table = new Table(signature, columns);
                table.rows(parser, v, "dataframe_split.data");
            } else if (field.equals("data")) {
                early = new TokenBuffer(parser);
                early.copyCurrentStructure(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (table == null && early != null) {
            table = new Table(signature, columns);
            try (JsonParser buffered = early.asParser()) {
                table.rows(buffered, buffered.nextToken(), "dataframe_split.data");
            }
        }
        if (table == null) {
            throw CairnException.invalid("dataframe_split needs 'data'");
        }
        return table.tensors();
    }

    private List<Tensor> records(JsonParser parser, JsonToken value, Signature signature) throws IOException {
        expect(value, JsonToken.START_ARRAY, "dataframe_records");
        var table = new Table(signature, null);
        table.rows(parser, value, "dataframe_records");
        return table.tensors();
    }

    /** A list of rows or records, or an object of named tensors ({@code {"name": nested data}}). */
    private List<Tensor> instances(JsonParser parser, JsonToken value, Signature signature) throws IOException {
        if (value == JsonToken.START_ARRAY) {
            var table = new Table(signature, null);
            table.rows(parser, value, "instances");
            return table.tensors();
        }
        expect(value, JsonToken.START_OBJECT, "inputs");
        var tensors = new ArrayList<Tensor>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken v = parser.nextToken();
            TensorSpec spec = signature.input(name).orElse(null);
            if (spec == null) {
                parser.skipChildren();
                continue;
            }
            tensors.add(nested(parser, v, spec));
        }
        return tensors;
    }

    /** A nested JSON array whose shape is read from its nesting, in the input's datatype. */
    private Tensor nested(JsonParser parser, JsonToken value, TensorSpec spec) throws IOException {
        var buffer = new TokenBuffer(parser);
        buffer.copyCurrentStructure(parser);
        long[] shape;
        try (JsonParser scan = buffer.asParser()) {
            shape = Shapes.of(scan, scan.nextToken(), spec.name());
        }
        try (JsonParser data = buffer.asParser()) {
            data.nextToken();
            return Tensor.of(
                    spec.name(),
                    spec.datatype(),
                    TensorJson.readData(data, spec.datatype(), shape, "input '" + spec.name() + "'"),
                    shape);
        }
    }

    /** CSV with a header row; values are parsed in the datatype of their input. */
    List<Tensor> csv(InputStream body, Signature signature) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null || header.isBlank()) {
            throw CairnException.invalid("the CSV body needs a header row naming the columns");
        }
        var table = new Table(signature, List.of(Csv.split(header)));
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isEmpty()) {
                table.textRow(Csv.split(line));
            }
        }
        return table.tensors();
    }

    byte[] predictions(List<Tensor> outputs) throws IOException {
        var out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("predictions");
            if (outputs.size() == 1) {
                Shapes.writeNested(g, outputs.get(0));
            } else {
                g.writeStartObject();
                for (Tensor output : outputs) {
                    g.writeFieldName(output.name());
                    Shapes.writeNested(g, output);
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static List<String> strings(JsonParser parser, JsonToken value, String what) throws IOException {
        expect(value, JsonToken.START_ARRAY, what);
        var strings = new ArrayList<String>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_STRING) {
                throw CairnException.invalid(what + " must be an array of strings");
            }
            strings.add(parser.getText());
        }
        return strings;
    }

    static void expect(JsonToken actual, JsonToken wanted, String what) {
        if (actual != wanted) {
            throw CairnException.invalid(
                    "'" + what + "' must be " + (wanted == JsonToken.START_ARRAY ? "an array" : "an object"));
        }
    }
}
