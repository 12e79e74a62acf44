package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The monitored values of one inference log row: each feature is the first element of the input
 * tensor of the same name, or, when the request sent one tensor with a column per feature, the
 * feature's position in it; the prediction is the first element of the first output tensor.
 * Malformed or missing values become nulls, never failures: a monitor must outlive bad traffic.
 */
final class LoggedRow {
    private LoggedRow() {}

    /** The feature values in {@code features} order: a Double, a String, or null when absent. */
    static Object[] features(ObjectMapper json, String inputs, List<String> features) {
        Object[] out = new Object[features.size()];
        JsonNode tensors = parse(json, inputs);
        if (!tensors.isArray()) {
            return out;
        }
        boolean found = false;
        for (JsonNode tensor : tensors) {
            int i = features.indexOf(tensor.path("name").asText());
            if (i >= 0) {
                List<JsonNode> data = flatten(tensor.path("data"));
                out[i] = data.isEmpty() ? null : value(data.get(0));
                found = true;
            }
        }
        if (!found && tensors.size() == 1) {
            List<JsonNode> data = flatten(tensors.get(0).path("data"));
            if (data.size() == features.size()) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = value(data.get(i));
                }
            }
        }
        return out;
    }

    /** The first element of the first output tensor, when it is a number (booleans count as 0/1). */
    static OptionalDouble prediction(ObjectMapper json, String outputs) {
        JsonNode tensors = parse(json, outputs);
        if (!tensors.isArray() || tensors.isEmpty()) {
            return OptionalDouble.empty();
        }
        List<JsonNode> data = flatten(tensors.get(0).path("data"));
        return data.isEmpty() ? OptionalDouble.empty() : number(data.get(0));
    }

    /** A label as text ({@code "1"}, {@code "true"}, {@code "3.5"}) as a number, when it is one. */
    static OptionalDouble number(String label) {
        String s = label.strip();
        if (s.equalsIgnoreCase("true")) {
            return OptionalDouble.of(1);
        }
        if (s.equalsIgnoreCase("false")) {
            return OptionalDouble.of(0);
        }
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private static OptionalDouble number(JsonNode node) {
        if (node.isNumber()) {
            return OptionalDouble.of(node.asDouble());
        }
        if (node.isBoolean()) {
            return OptionalDouble.of(node.asBoolean() ? 1 : 0);
        }
        return node.isTextual() ? number(node.asText()) : OptionalDouble.empty();
    }

    private static Object value(JsonNode node) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isNull()) {
            return null;
        }
        return node.asText();
    }

    private static List<JsonNode> flatten(JsonNode data) {
        List<JsonNode> out = new ArrayList<>();
        if (!data.isArray()) {
            if (!data.isMissingNode()) {
                out.add(data);
            }
            return out;
        }
        for (JsonNode n : data) {
            if (n.isArray()) {
                out.addAll(flatten(n));
            } else {
                out.add(n);
            }
        }
        return out;
    }

    private static JsonNode parse(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.missingNode();
        }
    }
}
