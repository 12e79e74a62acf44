package dev.cairn.pipelines;

import dev.cairn.core.CairnException;
import java.util.Locale;
import java.util.Optional;

/** The type of a pipeline parameter; values are {@link String}, {@link Long}, {@link Double} or {@link Boolean}. */
public enum ParamType {
    STRING,
    INT,
    FLOAT,
    BOOL;

    /** Parses a value given as text, e.g. on the command line as {@code -p lr=0.1}. */
    public Object parse(String paramName, String raw) {
        try {
            return switch (this) {
                case STRING -> raw;
                case INT -> Long.parseLong(raw.trim());
                case FLOAT -> parseFloat(raw.trim());
                case BOOL -> parseBool(raw.trim());
            };
        } catch (NumberFormatException e) {
            throw typeError(paramName, raw);
        }
    }

    /** Accepts a value already typed by a parser or a builder, widening int to float. */
    public Object coerce(String paramName, Object value) {
        return switch (this) {
            case STRING -> value instanceof String ? value : String.valueOf(value);
            case INT -> {
                if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                    yield ((Number) value).longValue();
                }
                throw typeError(paramName, value);
            }
            case FLOAT -> {
                if (value instanceof Number n) {
                    yield n.doubleValue();
                }
                throw typeError(paramName, value);
            }
            case BOOL -> {
                if (value instanceof Boolean) {
                    yield value;
                }
                throw typeError(paramName, value);
            }
        };
    }

    /** The text form used in commands and environment variables. */
    public static String format(Object value) {
        return String.valueOf(value);
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named in a spec ({@code string}, {@code int}, {@code float}, {@code bool}). */
    public static Optional<ParamType> byName(String name) {
        for (ParamType type : values()) {
            if (type.yamlName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type of a plain YAML scalar used as a shorthand default. */
    public static ParamType of(Object value) {
        if (value instanceof Boolean) {
            return BOOL;
        }
        if (value instanceof Long || value instanceof Integer) {
            return INT;
        }
        if (value instanceof Number) {
            return FLOAT;
        }
        return STRING;
    }

    private static double parseFloat(String raw) {
        double value = Double.parseDouble(raw);
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new NumberFormatException(raw);
        }
        return value;
    }

    private static boolean parseBool(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new NumberFormatException(raw);
        };
    }

    private CairnException typeError(String paramName, Object value) {
        return CairnException.invalid(
                "parameter '" + paramName + "' is of type " + yamlName() + ", got '" + value + "'");
    }
}
