package dev.cairn.server.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cairn.core.CairnException;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorJson;
import dev.cairn.models.TensorSpec;
import dev.cairn.serving.InferenceRequest;
import dev.cairn.serving.InferenceResponse;
import dev.cairn.serving.ModelInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON bodies of the Open Inference Protocol v2 REST API: inference requests are streamed
 * straight into typed tensors; responses and metadata are written with a generator.
 */
final class OipCodec {
    private final JsonFactory json;

    OipCodec(JsonFactory json) {
        this.json = json;
    }

    /** Decodes {@code {"id", "parameters", "inputs": [...], "outputs": [{"name"}]}}. */
    InferenceRequest request(InputStream body, String model, String version) throws IOException {
        try (JsonParser parser = json.createParser(body)) {
            JsonToken start = parser.nextToken();
            if (start != JsonToken.START_OBJECT) {
                throw CairnException.invalid("the request body must be a JSON object with 'inputs'");
            }
            String id = "";
            List<Tensor> inputs = null;
            List<String> outputs = List.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = scalarText(parser, value, "id");
                    case "inputs" -> inputs = tensors(parser, value);
                    case "outputs" -> outputs = outputNames(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw CairnException.invalid("the request body has content after its JSON object");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw CairnException.invalid("'inputs' is required and must not be empty");
            }
            return new InferenceRequest(id, model, version, inputs, outputs);
        }
    }

    private static List<Tensor> tensors(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw CairnException.invalid("'inputs' must be an array of tensors");
        }
        var tensors = new ArrayList<Tensor>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw CairnException.invalid("inputs[" + tensors.size() + "] must be a tensor object");
            }
            tensors.add(TensorJson.read(parser, "inputs[" + tensors.size() + "]"));
        }
        return tensors;
    }

    private static List<String> outputNames(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw CairnException.invalid("'outputs' must be an array of {\"name\": ...} objects");
        }
        var names = new ArrayList<String>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw CairnException.invalid("outputs[" + names.size() + "] must be an object with a 'name'");
            }
            String name = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken v = parser.nextToken();
                if (field.equals("name")) {
                    name = scalarText(parser, v, "outputs[" + names.size() + "].name");
                } else {
                    parser.skipChildren();
                }
            }
            if (name == null) {
                throw CairnException.invalid("outputs[" + names.size() + "] has no 'name'");
            }
            names.add(name);
        }
        return names;
    }

    private static String scalarText(JsonParser parser, JsonToken value, String what) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw CairnException.invalid("'" + what + "' must be a string");
        }
        return parser.getText();
    }

    byte[] response(InferenceResponse response) throws IOException {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model_name", response.model());
            g.writeStringField("model_version", response.version());
            g.writeStringField("id", response.id());
            g.writeArrayFieldStart("outputs");
            for (Tensor tensor : response.outputs()) {
                TensorJson.write(g, tensor);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    byte[] metadata(ModelInfo info, List<String> versions) throws IOException {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("name", info.name());
            g.writeArrayFieldStart("versions");
            for (String version : versions) {
                g.writeString(version);
            }
            g.writeEndArray();
            g.writeStringField("platform", info.flavor());
            specs(g, "inputs", info.signature().inputs());
            specs(g, "outputs", info.signature().outputs());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void specs(JsonGenerator g, String field, List<TensorSpec> specs) throws IOException {
        g.writeArrayFieldStart(field);
        for (TensorSpec spec : specs) {
            g.writeStartObject();
            g.writeStringField("name", spec.name());
            g.writeStringField("datatype", spec.datatype().name());
            g.writeArrayFieldStart("shape");
            for (long dim : spec.shape()) {
                g.writeNumber(dim);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    byte[] object(String... keysAndValues) throws IOException {
        var out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                g.writeFieldName(keysAndValues[i]);
                String value = keysAndValues[i + 1];
                if (value.equals("true") || value.equals("false")) {
                    g.writeBoolean(Boolean.parseBoolean(value));
                } else {
                    g.writeString(value);
                }
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
