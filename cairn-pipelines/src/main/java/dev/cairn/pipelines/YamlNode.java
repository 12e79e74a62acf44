package dev.cairn.pipelines;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML tree that remembers where each node starts, so that spec errors can name a line and column. */
sealed interface YamlNode {
    Location location();

    /** A 1-based line and column in the spec text. */
    record Location(int line, int column) {
        static Location of(JsonLocation l) {
            return new Location(l.getLineNr(), l.getColumnNr());
        }

        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    record Entry(Location keyLocation, YamlNode value) {}

    record MapNode(Map<String, Entry> entries, Location location) implements YamlNode {}

    record ListNode(List<YamlNode> items, Location location) implements YamlNode {}

    /** A scalar: String, Long, Double, Boolean, or {@link #NULL}. */
    record Scalar(Object value, Location location) implements YamlNode {
        static final Object NULL = new Object() {
            @Override
            public String toString() {
                return "null";
            }
        };

        boolean isNull() {
            return value == NULL;
        }
    }

    /** Thrown for a duplicate key, which plain YAML readers silently accept. */
    final class DuplicateKeyException extends IOException {
        final Location location;

        DuplicateKeyException(String key, Location location) {
            super("duplicate key '" + key + "'");
            this.location = location;
        }
    }

    /** Reads the value starting at the parser's current token. */
    static YamlNode read(JsonParser parser) throws IOException {
        Location at = Location.of(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> readMap(parser, at);
            case START_ARRAY -> readList(parser, at);
            case VALUE_STRING -> new Scalar(parser.getText(), at);
            case VALUE_NUMBER_INT -> new Scalar(parser.getLongValue(), at);
            case VALUE_NUMBER_FLOAT -> new Scalar(parser.getDoubleValue(), at);
            case VALUE_TRUE -> new Scalar(true, at);
            case VALUE_FALSE -> new Scalar(false, at);
            case VALUE_NULL -> new Scalar(Scalar.NULL, at);
            default -> throw new IOException("unexpected " + token + " at " + at);
        };
    }

    private static MapNode readMap(JsonParser parser, Location at) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Location keyAt = Location.of(parser.currentTokenLocation());
            parser.nextToken();
            YamlNode value = read(parser);
            if (entries.putIfAbsent(key, new Entry(keyAt, value)) != null) {
                throw new DuplicateKeyException(key, keyAt);
            }
        }
        return new MapNode(entries, at);
    }

    private static ListNode readList(JsonParser parser, Location at) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(parser));
        }
        return new ListNode(items, at);
    }
}
