package dev.cairn.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Decodes a request, JSON body or query string, straight into a small request record, turning
 * every decoding failure into a 4xx {@link CairnException} that names the field. Query strings map
 * one key to one field; a key given several times, or a list field, becomes a JSON array.
 */
public final class JsonRequests {
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    /** One reader per request type, for bodies and for query strings: building one per request shows in profiles. */
    private final ClassValue<ObjectReader> bodyReaders = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return mapper.readerFor(type);
        }
    };

    private final ClassValue<ObjectReader> queryReaders = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return mapper.readerFor(type).with(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        }
    };

    JsonRequests(ObjectMapper mapper, long maxBodyBytes) {
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Reads a GET request from its query string and any other request from its JSON body. */
    public <T> T read(Context ctx, Class<T> type) {
        return ctx.method() == HandlerType.GET ? query(ctx.queryParamMap(), type) : body(ctx, type);
    }

    /** Reads the JSON body, refusing one larger than the configured limit with 413. */
    public <T> T body(Context ctx, Class<T> type) {
        return decode(boundedBody(ctx), type);
    }

    /** Decodes query parameters as if they were a JSON object of strings and lists of strings. */
    public <T> T query(Map<String, List<String>> params, Class<T> type) {
        ObjectNode tree = mapper.createObjectNode();
        params.forEach((key, values) -> {
            if (values.size() == 1) {
                tree.put(key, values.get(0));
            } else {
                ArrayNode array = tree.putArray(key);
                values.forEach(array::add);
            }
        });
        try {
            return queryReaders.get(type).readValue(tree);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /** Decodes a JSON body; an empty body reads as {@code {}} so that required-field checks name what is missing. */
    public <T> T decode(byte[] json, Class<T> type) {
        byte[] body = json.length == 0 ? EMPTY_OBJECT : json;
        try {
            T value = bodyReaders.get(type).readValue(body);
            if (value == null) {
                throw new CairnException(ErrorCode.MALFORMED_REQUEST, "request body must be a JSON object, got null");
            }
            return value;
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /** Fails with {@code INVALID_PARAMETER_VALUE} naming {@code field} when {@code value} is absent. */
    public static <T> T required(T value, String field) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            throw CairnException.invalid("Missing value for required parameter '" + field + "'");
        }
        return value;
    }

    /** Fails when a list holds a null element, as in {@code "tags": [null]}. */
    public static <T> List<T> elements(List<T> values, String field) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw CairnException.invalid("Invalid value null for parameter '" + field + "[" + i + "]'");
            }
        }
        return values;
    }

    private byte[] boundedBody(Context ctx) {
        return boundedBody(ctx.req().getContentLengthLong(), ctx::bodyInputStream);
    }

    /** Where a request body is read from, opened only once its declared length was accepted. */
    @FunctionalInterface
    public interface BodySource {
        InputStream open() throws IOException;
    }

    /**
     * Reads a body of {@code declared} bytes ({@code -1} when unknown), refusing one larger than the
     * configured limit with 413, as {@link #body} does for Javalin's requests.
     */
    public byte[] boundedBody(long declared, BodySource source) {
        if (declared > maxBodyBytes) {
            throw tooLarge(declared);
        }
        try (InputStream in = source.open()) {
            if (declared >= 0) {
                // The usual case: read into an array of the declared size (the server enforces the length).
                byte[] bytes = new byte[(int) declared];
                int read = in.readNBytes(bytes, 0, bytes.length);
                return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw tooLarge(bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    private CairnException tooLarge(long size) {
        return new CairnException(
                ErrorCode.REQUEST_ENTITY_TOO_LARGE,
                "request body of " + (size > maxBodyBytes ? "more than " + maxBodyBytes : size)
                        + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
    }

    /** Turns a Jackson failure into the 400 a client should see. */
    static CairnException translate(Exception e) {
        if (e instanceof ValueInstantiationException v && v.getCause() instanceof CairnException c) {
            return c;
        }
        if (e instanceof StreamConstraintsException s) {
            return new CairnException(
                    ErrorCode.MALFORMED_REQUEST, "JSON request body too complex: " + s.getOriginalMessage());
        }
        if (e instanceof StreamReadException s) {
            String at = s.getLocation() == null
                    ? ""
                    : " at line " + s.getLocation().getLineNr() + ", column "
                            + s.getLocation().getColumnNr();
            return new CairnException(
                    ErrorCode.MALFORMED_REQUEST,
                    "Malformed JSON in request body" + at + ": " + firstLine(s.getOriginalMessage()));
        }
        if (e instanceof JsonMappingException m) {
            return invalidField(m);
        }
        if (e instanceof JacksonException j) {
            return new CairnException(
                    ErrorCode.MALFORMED_REQUEST,
                    "Malformed JSON in request body: " + firstLine(j.getOriginalMessage()));
        }
        return new CairnException(ErrorCode.MALFORMED_REQUEST, "Unreadable request body");
    }

    private static CairnException invalidField(JsonMappingException m) {
        String field = path(m.getPath());
        if (field.isEmpty()) {
            return new CairnException(ErrorCode.MALFORMED_REQUEST, "request body must be a JSON object");
        }
        String expected =
                m instanceof MismatchedInputException mi ? " (expected " + describe(mi.getTargetType()) + ")" : "";
        String value = m instanceof InvalidFormatException f ? " " + abbreviate(String.valueOf(f.getValue())) : "";
        return CairnException.invalid("Invalid value" + value + " for parameter '" + field + "'" + expected);
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    /** The first line of a Jackson message, without its source-location note (which says nothing to a client). */
    private static String firstLine(String message) {
        String m = message == null ? "" : message;
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        int source = m.indexOf(" (start marker at [Source");
        return abbreviate(source < 0 ? m : m.substring(0, source));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
