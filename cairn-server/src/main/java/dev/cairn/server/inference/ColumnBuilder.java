package dev.cairn.server.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cairn.core.CairnException;
import dev.cairn.models.DataType;
import dev.cairn.models.Tensor;
import java.io.IOException;
import java.util.Arrays;

/** A growable primitive array of one datatype, filled value by value from JSON tokens or CSV text. */
final class ColumnBuilder {
    private final String name;
    private final DataType datatype;
    private Object array;
    private int size;

    ColumnBuilder(String name, DataType datatype) {
        this.name = name;
        this.datatype = datatype;
        this.array = java.lang.reflect.Array.newInstance(
                datatype.storage().arrayClass().getComponentType(), 16);
    }

    int size() {
        return size;
    }

    Tensor build(long... shape) {
        return Tensor.of(name, datatype, trimmed(), shape);
    }

    void add(JsonParser parser, JsonToken token) throws IOException {
        grow();
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

    void addText(String text) {
        grow();
        try {
            switch (datatype.storage()) {
                case FLOAT -> ((float[]) array)[size] = text.isEmpty() ? Float.NaN : Float.parseFloat(text);
                case DOUBLE -> ((double[]) array)[size] = text.isEmpty() ? Double.NaN : Double.parseDouble(text);
                case INT -> ((int[]) array)[size] = (int) checked(Long.parseLong(text.trim()), text);
                case LONG -> ((long[]) array)[size] = checked(Long.parseLong(text.trim()), text);
                case BOOL -> ((boolean[]) array)[size] = parseBool(text);
                case STRING -> ((String[]) array)[size] = text;
            }
        } catch (NumberFormatException e) {
            throw wrong("'" + text + "'");
        }
        size++;
    }

    private void grow() {
        int capacity = java.lang.reflect.Array.getLength(array);
        if (size == capacity) {
            Object bigger = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), capacity * 2);
            System.arraycopy(array, 0, bigger, 0, size);
            array = bigger;
        }
    }

    private Object trimmed() {
        return switch (datatype.storage()) {
            case FLOAT -> Arrays.copyOf((float[]) array, size);
            case DOUBLE -> Arrays.copyOf((double[]) array, size);
            case INT -> Arrays.copyOf((int[]) array, size);
            case LONG -> Arrays.copyOf((long[]) array, size);
            case BOOL -> Arrays.copyOf((boolean[]) array, size);
            case STRING -> Arrays.copyOf((String[]) array, size);
        };
    }

    private double number(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getDoubleValue();
        }
        if (token == JsonToken.VALUE_NULL) {
            return Double.NaN;
        }
        throw wrong(describe(parser, token));
    }

    private long integer(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return checked(parser.getLongValue(), parser.getText());
        }
        throw wrong(describe(parser, token));
    }

    private long checked(long value, String text) {
        if (!datatype.fits(value)) {
            throw CairnException.invalid(
                    "column '" + name + "': value " + text + " in row " + size + " is out of range for " + datatype);
        }
        return value;
    }

    private boolean bool(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        throw wrong(describe(parser, token));
    }

    private boolean parseBool(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("1")) {
            return true;
        }
        if (t.equals("false") || t.equals("0")) {
            return false;
        }
        throw wrong("'" + text + "'");
    }

    private String string(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        throw wrong(describe(parser, token));
    }

    private static String describe(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "'" + parser.getText() + "'";
            default -> parser.getText();
        };
    }

    private CairnException wrong(String got) {
        return CairnException.invalid(
                "column '" + name + "': expected " + datatype + " values, got " + got + " in row " + size);
    }
}
